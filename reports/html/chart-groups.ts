// The charts below the story, grouped by concern (throughput and errors, latency, queue...),
// each group a <details> closed by default: the story tells the incident, these are for the
// reader who wants to dig. Every line chart of the run shares one x range, so a moment sits
// at the same place in every chart.
import { GROUP_TITLES } from './chart-plan.ts';
import type { ChartSpec } from './chart-spec.ts';
import { escapeHtml } from './escape.ts';
import { chartCard } from './page.ts';

/** Sets one x range on every line chart: the run's length or the furthest point any chart needs. */
export function shareXRange(charts: readonly ChartSpec[], durationS: number): ChartSpec[] {
  const lines = charts.filter((c) => c.kind === 'line');
  const furthest = Math.max(
    durationS,
    ...lines.map((c) => c.xMax ?? 0),
    ...lines.flatMap((c) => c.datasets.map((d) => Math.max(0, ...(d.data as { x: number }[]).map((p) => p.x)))),
  );
  return charts.map((c) => (c.kind === 'line' ? { ...c, xMax: furthest } : c));
}

/** One closed <details> per concern, in plan order; the summary says how many charts it holds. */
export function groupedCharts(charts: readonly ChartSpec[], timelineKey = 'run'): string {
  const groups = new Map<string, ChartSpec[]>();
  for (const c of charts) {
    const title = GROUP_TITLES[c.group];
    groups.set(title, [...(groups.get(title) ?? []), c]);
  }
  return [...groups].map(([title, list]) => `<details class="chart-group">
<summary><b>${escapeHtml(title)}</b> <span class="muted small">${list.length} chart${list.length === 1 ? '' : 's'}: ${escapeHtml(list.map((c) => c.title).join(' · '))}</span></summary>
<div class="charts">
${list.map((c) => chartCard(c, timelineKey)).join('\n')}
</div>
</details>`).join('\n');
}
