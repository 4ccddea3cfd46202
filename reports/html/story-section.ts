// The incident's story, right under the verdict: the charts the scenario declared in
// result.story, on the simulated timeline when the replay compresses time. A line with
// fewer than three points is not a chart: it becomes a figure tile. Key moments are marked
// on the chart and listed under it, so no label is lost to overlap or clipping.
import type { SeriesLine } from '../../engine/metrics/types.ts';
import type { RunResult } from '../../harness/result-schema.ts';
import type { StoryChart, StoryLine } from '../../harness/scenario/story.ts';
import { ColorBook, type ChartDataset, type ChartPoint, type ChartSpec, type ChartUnit } from './chart-spec.ts';
import type { Timeline, TimelineMarker } from './chaos-timeline.ts';
import { escapeHtml } from './escape.ts';
import { chartCard } from './page.ts';

export const STORY_TIMELINE = 'story';

export interface Story {
  charts: ChartSpec[];
  /** lines too short to draw, shown as a figure each */
  tiles: { chart: string; label: string; value: number | null; unit: ChartUnit }[];
  timeline: Timeline;
  /** simulated seconds per real second */
  compression: number;
}

function matches(series: SeriesLine, line: StoryLine): boolean {
  if (series.metric !== line.metric) return false;
  return Object.entries(line.tags ?? {}).every(([k, v]) => series.tags[k] === v);
}

function pointsOf(series: SeriesLine, line: StoryLine, k: number): ChartPoint[] {
  let sum = 0;
  return series.points.map((p) => {
    const x = p.t * k;
    switch (line.show) {
      case 'percent':
        return { x, y: p.value * 100 };
      case 'cumulative':
        return { x, y: (sum += p.value) };
      case 'p95':
        return { x, y: p.p95 ?? p.value };
      default:
        return { x, y: p.value };
    }
  });
}

function unitOf(line: StoryLine, series: SeriesLine): ChartUnit {
  if (line.show === 'percent') return 'percent';
  if (line.show === 'per_s') return 'per_s';
  if (line.show === 'p95' && series.kind === 'trend') return 'ms';
  return 'count';
}

/** Builds the story from result.story; empty when the scenario declared none. */
export function buildStory(result: RunResult, runTimeline: Timeline, colors = new ColorBook()): Story {
  const record = result.story;
  const k = record && record.timeCompression > 0 ? record.timeCompression : 1;
  const charts: ChartSpec[] = [];
  const tiles: Story['tiles'] = [];
  const markers: TimelineMarker[] = [];
  const xMax = (result.durationMs / 1000) * k;
  for (const declared of record?.charts ?? []) {
    const datasets: ChartDataset[] = [];
    const units: Partial<Record<'left' | 'right', ChartUnit>> = {};
    for (const line of declared.lines) {
      for (const series of result.series.filter((s) => matches(s, line))) {
        const label = line.label ?? series.metric;
        const unit = unitOf(line, series);
        const data = pointsOf(series, line, k);
        if (data.length < 3) {
          const last = data.at(-1)?.y ?? null;
          tiles.push({ chart: declared.id, label, value: last, unit });
          continue;
        }
        const axis = line.axis ?? 'left';
        units[axis] ??= unit;
        datasets.push({ label, color: colors.color(`${series.metric}${JSON.stringify(series.tags)}`), data, stepped: series.kind === 'gauge', ...(axis === 'right' ? { axis } : {}) });
      }
    }
    // the same moment recorded twice (by the stack and by the driver) is marked once
    for (const m of storyMarkers(declared, result)) if (!markers.some((x) => x.label === m.label && Math.abs(x.at - m.at) <= xMax / 50)) markers.push(m);
    if (datasets.length === 0) continue;
    charts.push({
      id: `story-${declared.id}`,
      group: 'other',
      title: declared.title,
      note: declared.note,
      kind: 'line',
      unit: units.left ?? units.right ?? 'count',
      yLabel: axisLabel(units.left ?? 'count'),
      ...(units.right ? { y1Label: axisLabel(units.right), y1Unit: units.right } : {}),
      datasets,
      timeline: true,
      xMax,
      ...(declared.guides?.length ? { guides: declared.guides.map((g) => ({ y: g.y, label: g.label, color: '#dc2626' })) } : {}),
      ...(k === 1 ? {} : { xTitle: `simulated time (${xMax >= 4 * 3600 ? 'hours' : 'm:ss'}; replay ran ${k}× faster)`, ...(xMax >= 4 * 3600 ? { xHours: true } : {}) }),
    });
  }
  // chaos bands keep their place on the simulated axis
  const bands = runTimeline.bands.map((b) => ({ ...b, start: b.start * k, end: b.end * k }));
  markers.sort((a, b) => a.at - b.at);
  return { charts, tiles, timeline: { bands, markers }, compression: k };
}

function storyMarkers(chart: StoryChart, result: RunResult): TimelineMarker[] {
  const k = result.story && result.story.timeCompression > 0 ? result.story.timeCompression : 1;
  const out: TimelineMarker[] = [];
  chart.markers.forEach((m) => {
    for (const e of result.events.filter((ev) => ev.type === m.event && Object.entries(m.where ?? {}).every(([key, v]) => (ev as unknown as Record<string, unknown>)[key] === v))) {
      out.push({ at: (e.t / 1000) * k, label: m.label, kind: /fail|roll ?back|no-go/i.test(m.label) ? 'failure' : /detect|degrad/i.test(m.label) ? 'degradation' : 'recovery' });
    }
  });
  return out;
}

function axisLabel(unit: ChartUnit): string {
  return unit === 'percent' ? '%' : unit === 'per_s' ? 'per second' : unit === 'ms' ? 'time' : 'count';
}

function clockText(s: number, compression: number, hours: boolean): string {
  const sim = hours ? `${(s / 3600).toFixed(1)} h simulated` : `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, '0')}${compression === 1 ? '' : ' simulated'}`;
  return compression === 1 ? sim : `${sim} (${(s / compression).toFixed(1)} s real)`;
}

/** The HTML of the story section; '' when the scenario declared no story. */
export function storySection(story: Story, result: RunResult): string {
  if (!result.story || (story.charts.length === 0 && story.tiles.length === 0)) return '';
  const hours = story.charts.some((c) => c.xHours);
  const list = story.timeline.markers.length
    ? `<ol class="story-markers">${story.timeline.markers.map((m) => `<li class="${m.kind}"><b>${escapeHtml(m.label)}</b> at ${escapeHtml(clockText(m.at, story.compression, hours))}</li>`).join('')}</ol>`
    : '<p class="muted small">None of the moments this story marks happened in this run.</p>';
  const tiles = story.tiles.length
    ? `<div class="tiles">${story.tiles.map((t) => `<div class="tile"><span class="muted small">${escapeHtml(t.label)}</span><b>${t.value === null ? '–' : escapeHtml(String(Math.round(t.value * 100) / 100))}${t.unit === 'percent' ? ' %' : ''}</b><span class="muted small">too few points to chart</span></div>`).join('')}</div>`
    : '';
  return `<section id="story"><h2>The incident, as it happened here</h2>
${story.charts.map((c) => chartCard(c, STORY_TIMELINE)).join('\n')}
${tiles}
${list}
</section>`;
}
