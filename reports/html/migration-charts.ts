// Migration progress against the window: accounts moved over time, the window's end, and
// where the latest projection says the migration will finish.
import type { SeriesLine } from '../../engine/metrics/types.ts';
import type { RunResult } from '../../harness/result-schema.ts';
import type { ChartSpec, ColorBook } from './chart-spec.ts';
import { linesChart } from './chart-builders.ts';

const PROGRESS = new Set(['migration_progress', 'migration_accounts_done']);

/** The migration window in seconds of run time (the charts' x axis), as the scenario's "migration_window" figure says. */
function migrationWindowS(result: RunResult): number | undefined {
  const figure = result.figures['migration_window'];
  if (!figure) return undefined;
  return figure.unit === 'ms' ? figure.value / 1000 : figure.unit === 's' ? figure.value : undefined;
}

/** How many accounts the migration set out to move, as the "accounts_to_move" figure says. */
function totalAccounts(result: RunResult): number | undefined {
  return result.figures['accounts_to_move']?.value;
}

export function migrationCharts(result: RunResult, lines: SeriesLine[], colors: ColorBook): ChartSpec[] {
  const charts: ChartSpec[] = [];
  const windowS = migrationWindowS(result);
  const progress = lines.filter((l) => PROGRESS.has(l.metric));
  const completion = lines.find((l) => l.metric === 'migration_projected_completion');
  const ratio = lines.find((l) => l.metric === 'migration_projected_ratio');
  const lastRatio = ratio?.points.at(-1)?.value;
  const lastProjection = completion?.points.at(-1)?.value ?? (lastRatio !== undefined && windowS !== undefined && lastRatio < 100 ? lastRatio * windowS : undefined);
  if (progress.length) {
    const chart = linesChart({ id: 'migration-progress', group: 'migration', title: 'Migration progress against the window', note: 'Accounts moved so far; the dashed line runs to the latest projected completion.', lines: progress, colors }, 'level');
    const total = totalAccounts(result);
    const last = progress[0]?.points.at(-1);
    if (last && lastProjection !== undefined && total !== undefined && last.value < total) {
      chart.datasets.push({ label: 'projected', color: '#6b7280', dashed: true, data: [{ x: last.t, y: last.value }, { x: lastProjection, y: total }] });
    }
    chart.guides = [
      ...(windowS === undefined ? [] : [{ x: windowS, label: 'window ends', color: '#dc2626' }]),
      ...(total === undefined ? [] : [{ y: total, label: `${total.toLocaleString('en-GB')} accounts`, color: '#6b7280' }]),
      ...(lastProjection === undefined ? [] : [{ x: lastProjection, label: 'projected completion', color: '#7c3aed' }]),
    ];
    chart.xMax = Math.max(windowS ?? 0, lastProjection ?? 0, last?.t ?? 0);
    charts.push(chart);
  }
  if (completion) {
    const chart = linesChart({ id: 'migration-projection', group: 'migration', title: 'Projected completion at each checkpoint', note: 'Above the window line means the migration would not finish in time.', lines: [completion], colors }, 'level');
    chart.unit = 's';
    chart.yLabel = 'projected finish';
    chart.guides = windowS === undefined ? [] : [{ y: windowS, label: 'window ends', color: '#dc2626' }];
    charts.push(chart);
  }
  if (ratio) {
    const chart = linesChart({ id: 'migration-ratio', group: 'migration', title: 'Projected duration against the window', note: 'Projected duration ÷ window at each checkpoint: above 1 it would not finish in time (no-go).', lines: [ratio], colors }, 'level');
    chart.yLabel = '× window';
    // "never finishes" is recorded as a huge ratio; cap it so the rest stays readable.
    for (const d of chart.datasets) d.data = (d.data as { x: number; y: number | null }[]).map((p) => ({ x: p.x, y: p.y === null ? null : Math.min(p.y, 10) }));
    chart.guides = [{ y: 1, label: 'window', color: '#dc2626' }];
    charts.push(chart);
  }
  const shown = new Set<SeriesLine | undefined>([...progress, completion, ratio]);
  for (const other of lines.filter((l) => !shown.has(l))) {
    charts.push(linesChart({ id: `migration-${other.metric.replaceAll(/[^a-z0-9]+/gi, '-')}`, group: 'migration', title: other.metric, lines: [other], colors }, 'level'));
  }
  return charts;
}
