// Chooses the charts of a report from the series that exist: a metric goes to the chart of
// the topic its declaration names, the rest get a generic chart each, so nothing recorded
// is hidden.
import type { SeriesLine } from '../../engine/metrics/types.ts';
import type { RunResult } from '../../harness/result-schema.ts';
import { describeMetric, type ChartGroup } from './metric-info.ts';
import { ColorBook, type ChartSpec } from './chart-spec.ts';
import { linesChart, percentileChart, slug } from './chart-builders.ts';
import { migrationCharts } from './migration-charts.ts';
import { ledgerChart } from './ledger-chart.ts';
import { errorRateChart } from './error-rate-chart.ts';

export const GROUP_TITLES: Record<ChartGroup, string> = {
  throughput: 'Throughput and errors',
  errors: 'Throughput and errors',
  rates: 'Throughput and errors',
  latency: 'Latency',
  queue: 'Queue',
  lockouts: 'Lockouts and helpdesk',
  migration: 'Migration',
  delivery: 'Delivery accounting',
  harness: 'Harness health',
  other: 'Other metrics',
};

export function planCharts(result: RunResult, colors = new ColorBook()): ChartSpec[] {
  const byGroup = new Map<ChartGroup, SeriesLine[]>();
  const chartUnit = (line: SeriesLine) => describeMetric(line.metric, line.kind, result.metricDeclarations).unit === 'ms' ? 'ms' : 'count';
  for (const line of result.series) {
    if (line.points.length === 0) continue;
    const group = describeMetric(line.metric, line.kind, result.metricDeclarations).group;
    byGroup.set(group, [...(byGroup.get(group) ?? []), line]);
  }
  const get = (group: ChartGroup) => byGroup.get(group) ?? [];
  const charts: ChartSpec[] = [];
  const add = (group: ChartGroup, id: string, title: string, mode: Parameters<typeof linesChart>[1], note?: string) => {
    const lines = get(group);
    if (lines.length) charts.push(linesChart({ id, group, title, lines, colors, ...(note ? { note } : {}) }, mode));
  };
  add('throughput', 'throughput', 'Throughput per flow', 'per_s', 'Iterations completed, messages accepted and deliveries queued each second.');
  add('errors', 'errors', 'Errors per flow', 'per_s', 'Failed iterations and error replies each second.');
  const errorRate = errorRateChart(result.series, colors);
  if (errorRate) charts.push(errorRate);
  add('rates', 'rates', 'Success and failure rates', 'percent');
  for (const line of get('latency')) charts.push(percentileChart(line, 'latency', chartUnit(line)));
  add('queue', 'queue', 'Queue depth', 'level', 'Deliveries waiting in the MTA queue.');
  add('lockouts', 'lockouts', 'Locked accounts and helpdesk backlog', 'level', 'Users who cannot log in, and unlock requests waiting for an engineer.');
  charts.push(...migrationCharts(result, get('migration'), colors));
  add('delivery', 'delivery', 'Delivery accounting over time', 'cumulative', 'Delivered, lost and duplicated add up over the run; queued is the level at each second.');
  if (result.ledger && result.ledger.expected + result.ledger.unexpected > 0) charts.push(ledgerChart(result.ledger));
  for (const line of get('harness')) charts.push(percentileChart(line, 'harness', chartUnit(line)));
  charts.push(...otherCharts(get('other'), colors, chartUnit));
  return charts;
}

/** One chart per metric name with no topic (one line per tag set); trends get percentiles. */
function otherCharts(lines: SeriesLine[], colors: ColorBook, chartUnit: (line: SeriesLine) => 'ms' | 'count'): ChartSpec[] {
  const charts: ChartSpec[] = [];
  const names = [...new Set(lines.map((l) => l.metric))];
  for (const name of names) {
    const same = lines.filter((l) => l.metric === name);
    const kind = same[0]?.kind;
    if (kind === 'trend') {
      for (const line of same) charts.push(percentileChart(line, 'other', chartUnit(line)));
      continue;
    }
    const mode = kind === 'rate' ? 'percent' : kind === 'gauge' ? 'level' : 'per_s';
    charts.push(linesChart({ id: `other-${slug(name)}`, group: 'other', title: name, lines: same, colors }, mode));
  }
  return charts;
}
