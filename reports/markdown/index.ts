export { renderMarkdown, ledgerLine } from './render-markdown.ts';
export { renderSuiteMarkdown } from './render-suite-markdown.ts';
export { markdownReporter, writeMarkdownReport } from './markdown-reporter.ts';
