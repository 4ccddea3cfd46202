// Error rate per flow: failed iterations as a share of the iterations of that second.
import type { SeriesLine } from '../../engine/metrics/types.ts';
import type { ChartSpec, ColorBook } from './chart-spec.ts';

export function errorRateChart(series: readonly SeriesLine[], colors: ColorBook): ChartSpec | undefined {
  const datasets: ChartSpec['datasets'] = [];
  for (const errors of series.filter((l) => l.metric === 'iteration_errors' && l.tags['flow'])) {
    const flow = errors.tags['flow'] as string;
    const done = series.find((l) => l.metric === 'iterations' && l.tags['flow'] === flow);
    if (!done) continue;
    const failedAt = new Map(errors.points.map((p) => [p.t, p.value]));
    datasets.push({
      label: flow,
      color: colors.color(flow),
      // a second with no iterations has no rate (a gap, not 0%)
      data: done.points.map((p) => ({ x: p.t, y: p.value > 0 ? Math.min(100, ((failedAt.get(p.t) ?? 0) / p.value) * 100) : null })),
    });
  }
  if (datasets.length === 0) return undefined;
  return { id: 'error-rate', group: 'errors', title: 'Error rate per flow', note: 'Failed iterations as a share of those finished in the same second.', kind: 'line', unit: 'percent', yLabel: '% of iterations', datasets, timeline: true };
}
