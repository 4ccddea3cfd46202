export { renderHtmlReport, writeHtmlReport } from './render-report.ts';
export { renderSuiteIndex, writeSuiteIndex } from './suite-index.ts';
export { htmlReporter } from './html-reporter.ts';
export { gateSentence } from './gate-sentence.ts';
export { formatObserved, formatThreshold } from './verdict-section.ts';
export { planCharts } from './chart-plan.ts';
export { buildTimeline } from './chaos-timeline.ts';
export { describeMetric } from './metric-info.ts';
export { writeSuiteReports } from './write-suite-reports.ts';
