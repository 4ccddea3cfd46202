// A line with fewer than three points is not a trend: such lines leave their chart and
// become figure tiles (projections, drawn dashed, excepted) (their last value), and a chart left with no line is not drawn.
import type { ChartPoint, ChartSpec } from './chart-spec.ts';
import { escapeHtml } from './escape.ts';

export interface SeriesTile {
  chart: string;
  label: string;
  value: number | null;
}

export function splitShortLines(charts: readonly ChartSpec[]): { charts: ChartSpec[]; tiles: SeriesTile[] } {
  const kept: ChartSpec[] = [];
  const tiles: SeriesTile[] = [];
  for (const chart of charts) {
    if (chart.kind !== 'line') {
      kept.push(chart);
      continue;
    }
    // dashed lines are projections (a straight line from now to the forecast): two points are enough
    const drawable = (d: ChartSpec['datasets'][number]) => d.dashed === true || d.data.length >= 3;
    const long = chart.datasets.filter(drawable);
    for (const d of chart.datasets.filter((x) => !drawable(x))) {
      const last = (d.data as ChartPoint[]).at(-1)?.y ?? null;
      tiles.push({ chart: chart.title, label: d.label, value: last });
    }
    if (long.length) kept.push({ ...chart, datasets: long });
  }
  return { charts: kept, tiles };
}

export function seriesTiles(tiles: readonly SeriesTile[]): string {
  if (tiles.length === 0) return '';
  return `<div class="tiles">${tiles
    .map((t) => `<div class="tile"><span class="muted small">${escapeHtml(t.chart)}${t.label === t.chart ? '' : ` · ${escapeHtml(t.label)}`}</span><b>${t.value === null ? '–' : escapeHtml(t.value.toLocaleString('en-GB', { maximumFractionDigits: 2 }))}</b><span class="muted small">last value; too few points to chart</span></div>`)
    .join('')}</div>`;
}
