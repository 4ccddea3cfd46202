// Chart hygiene below the story: lines orders of magnitude apart get their own axis, every
// line chart of a run shares one x range, and the charts sit in closed groups by concern.
import test from 'ava';
import type { SeriesLine } from '../../engine/metrics/types.ts';
import { linesChart } from '../../reports/html/chart-builders.ts';
import { ColorBook, type ChartSpec } from '../../reports/html/chart-spec.ts';
import { renderHtmlReport } from '../../reports/html/index.ts';
import { embeddedData, loadRun } from './fixtures.ts';

const line = (metric: string, flow: string, level: number): SeriesLine => ({
  metric, kind: 'counter', tags: { flow }, points: Array.from({ length: 10 }, (_, t) => ({ t, value: level * (1 + (t % 3)) })),
});

test('a line that dwarfs the others moves to the right-hand axis; alike lines share one', (t) => {
  const split = linesChart({
    id: 'throughput', group: 'throughput', title: 'Throughput per flow', colors: new ColorBook(),
    lines: [line('iterations', 'background', 16), line('iterations', 'storm', 5), line('mta.deliveries_queued', 'storm', 40_000)],
  }, 'per_s');
  t.deepEqual(split.datasets.map((d) => d.axis ?? 'left'), ['left', 'left', 'right']);
  t.regex(split.y1Label ?? '', /mta\.deliveries_queued/);
  t.regex(split.note ?? '', /right-hand axis/);
  const alike = linesChart({ id: 'x', group: 'throughput', title: 'x', colors: new ColorBook(), lines: [line('iterations', 'a', 16), line('iterations', 'b', 5)] }, 'per_s');
  t.true(alike.datasets.every((d) => d.axis === undefined));
  t.is(alike.y1Label, undefined);
});

test('report.html: every line chart below the story shares one x range, in closed groups by concern', (t) => {
  const result = loadRun('storm-failed');
  const html = renderHtmlReport(result);
  const data = embeddedData(html) as { charts: ChartSpec[] };
  const run = data.charts.filter((c) => c.kind === 'line' && !c.id.startsWith('story-') && !c.id.startsWith('rig-'));
  t.true(run.length >= 5);
  t.deepEqual([...new Set(run.map((c) => c.xMax))], [result.durationMs / 1000]);
  const groups = [...html.matchAll(/<details class="chart-group"( open)?>\s*<summary><b>([^<]+)<\/b>/g)];
  t.deepEqual(groups.map((g) => g[2]), ['Throughput and errors', 'Latency', 'Queue', 'Lockouts and helpdesk', 'Delivery accounting', 'Other metrics']);
  t.true(groups.every((g) => g[1] === undefined), 'closed by default');
  const story = renderHtmlReport(loadRun('story-storm'));
  t.true(story.indexOf('id="story"') > 0 && story.indexOf('id="story"') < story.indexOf('class="chart-group"'), 'the groups stand below the story');
});
