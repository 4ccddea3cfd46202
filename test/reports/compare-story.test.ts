// compare.html overlays each side's story charts: baseline dashed, candidate solid, on one
// chart with both sides' key moments marked.
import test from 'ava';
import { readFile } from 'node:fs/promises';
import { runCompare } from '../../reports/compare/index.ts';
import type { ChartSpec } from '../../reports/html/chart-spec.ts';
import type { Timeline } from '../../reports/html/chaos-timeline.ts';
import { embeddedData, fixturePath, tempDir } from './fixtures.ts';

test('compare.html overlays the story charts of baseline and candidate, with both sides\' markers', async (t) => {
  const out = await runCompare(fixturePath('story-storm'), fixturePath('story-storm'), await tempDir('cmp-story'));
  const html = await readFile(out.files.html, 'utf8');
  const data = embeddedData(html) as { charts: ChartSpec[]; timelines: Record<string, Timeline> };
  const overlays = data.charts.filter((c) => c.id.startsWith('0-overlay-'));
  t.deepEqual(overlays.map((c) => c.id), ['0-overlay-story-background', '0-overlay-story-storm']);
  for (const chart of overlays) {
    const base = chart.datasets.filter((d) => d.label.startsWith('baseline · '));
    const cand = chart.datasets.filter((d) => d.label.startsWith('candidate · '));
    t.true(base.length > 0 && base.length === cand.length, chart.id);
    t.true(base.every((d) => d.dashed === true) && cand.every((d) => d.dashed !== true));
  }
  const labels = (data.timelines['0-story']?.markers ?? []).map((m) => m.label);
  t.true(labels.includes('baseline: storm protection engaged') && labels.includes('candidate: storm protection engaged'), labels.join(', '));
  t.true(html.indexOf('id="story-0"') < html.indexOf('Baseline and candidate over time'), 'the story comes before the side-by-side charts');
});
