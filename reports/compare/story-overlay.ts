// compare.html's story: each story chart the scenario declares, with the baseline's lines
// (dashed) and the candidate's (solid) on one chart, and both sides' key moments marked, so a
// change board sees in one look whether the candidate tells the same incident better or worse.
import type { RunResult } from '../../harness/result-schema.ts';
import { buildTimeline, type Timeline } from '../html/chaos-timeline.ts';
import { ColorBook, type ChartSpec } from '../html/chart-spec.ts';
import { escapeHtml } from '../html/escape.ts';
import { chartCard } from '../html/page.ts';
import { buildStory } from '../html/story-section.ts';

/** The overlaid story charts of one scenario; '' when neither side declared a story. */
export function storyOverlay(index: number, baseline: RunResult, candidate: RunResult, charts: ChartSpec[], timelines: Record<string, Timeline>): string {
  const colors = new ColorBook();
  const side = (r: RunResult) => buildStory(r, buildTimeline(r.chaos, r.events, r.durationMs / 1000), colors);
  const b = side(baseline);
  const c = side(candidate);
  const key = `${index}-story`;
  timelines[key] = {
    bands: c.timeline.bands,
    markers: [
      ...b.timeline.markers.map((m) => ({ ...m, label: `baseline: ${m.label}` })),
      ...c.timeline.markers.map((m) => ({ ...m, label: `candidate: ${m.label}` })),
    ].sort((x, y) => x.at - y.at),
  };
  const ids = [...new Set([...b.charts.map((x) => x.id), ...c.charts.map((x) => x.id)])];
  const cards = ids.map((id) => {
    const bs = b.charts.find((x) => x.id === id);
    const cs = c.charts.find((x) => x.id === id);
    const base = (cs ?? bs) as ChartSpec;
    const spec: ChartSpec = {
      ...base,
      id: `${index}-overlay-${id}`,
      note: `${base.note ?? ''} Dashed: baseline; solid: candidate.`.trim(),
      xMax: Math.max(bs?.xMax ?? 0, cs?.xMax ?? 0),
      datasets: [
        ...(bs?.datasets ?? []).map((d) => ({ ...d, label: `baseline · ${d.label}`, dashed: true })),
        ...(cs?.datasets ?? []).map((d) => ({ ...d, label: `candidate · ${d.label}` })),
      ],
    };
    charts.push(spec);
    return chartCard(spec, key);
  });
  if (cards.length === 0) return '';
  const list = timelines[key].markers.map((m) => `<li class="${m.kind}"><b>${escapeHtml(m.label)}</b></li>`).join('');
  return `<div class="story-overlay" id="story-${index}">
<h3 style="margin-top:18px">The incident, baseline and candidate overlaid</h3>
${cards.join('\n')}
${list ? `<ol class="story-markers">${list}</ol>` : ''}
</div>`;
}
