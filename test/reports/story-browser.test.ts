// Each replay's report.html in headless Chromium at 1400 px: the story chart stands under
// the verdict with its key moment, nothing overflows the page, every drawn story line has
// at least three points (dashed projections excepted), and no two marker labels overlap. Screenshots go to test-artifacts/.
import test from 'ava';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { writeHtmlReport } from '../../reports/html/index.ts';
import { CHROMIUM, hasChromium, launchChromium } from './browser-check.ts';
import { loadRun } from './fixtures.ts';

const artifacts = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-artifacts', 'reports');
const browserTest = hasChromium() ? test.serial : test.skip;
if (!hasChromium()) console.log(`story browser tests skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

let browser: Browser | undefined;
test.before(async () => {
  if (hasChromium()) browser = await launchChromium();
});
test.after.always(async () => {
  await browser?.close();
});

const REPLAYS = [
  { fixture: 'story-storm', key: 'storm protection engaged', charts: ['story-background', 'story-storm'] },
  { fixture: 'story-lockout', key: 'helpdesk deadline', charts: ['story-lockout'] },
  { fixture: 'story-migration', key: 'no-go', charts: ['story-migration'] },
  { fixture: 'story-leak', key: 'failover', charts: ['story-leak'] },
] as const;

for (const replay of REPLAYS) {
  browserTest(`${replay.fixture}: the story stands under the verdict, marked, readable and within the page`, async (t) => {
    const dir = join(artifacts, replay.fixture);
    await mkdir(dir, { recursive: true });
    const file = await writeHtmlReport(loadRun(replay.fixture), dir);
    const page = await browser!.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-charts-drawn]');
    const seen = await page.evaluate(() => {
      const order = Array.from(document.querySelectorAll('main > header, main > p, main > section')).map((s) => s.id || s.tagName.toLowerCase());
      const doc = document.documentElement;
      const wraps = Array.from(document.querySelectorAll('table')).map((tbl) => {
        const box = tbl.parentElement as HTMLElement;
        return { id: box.closest('section')?.id ?? '', scroll: box.scrollWidth, client: box.clientWidth, right: tbl.getBoundingClientRect().right };
      });
      const data = JSON.parse(document.getElementById('report-data')!.textContent!) as { charts: { id: string; kind: string; datasets: { label: string; data: unknown[]; dashed?: boolean }[] }[] };
      const story = Array.from(document.querySelectorAll('#story canvas[data-chart]')).map((c) => ({
        id: c.getAttribute('data-chart')!,
        labels: JSON.parse(c.getAttribute('data-marker-labels') ?? '[]') as [number, number, number, number][],
        width: (c as HTMLCanvasElement).clientWidth,
      }));
      return {
        order, story, wraps,
        page: { scroll: doc.scrollWidth, client: doc.clientWidth },
        points: data.charts.filter((c) => c.kind === 'line').flatMap((c) => c.datasets.filter((d) => !d.dashed).map((d) => ({ chart: c.id, label: d.label, n: d.data.length }))),
        markerList: Array.from(document.querySelectorAll('#story .story-markers li b')).map((b) => b.textContent),
      };
    });
    await page.screenshot({ path: join(artifacts, `story-${replay.fixture}.png`), fullPage: true });
    await page.close();
    t.deepEqual(errors, []);
    t.deepEqual(seen.order.slice(0, 4), ['header', 'verdict-summary', 'story', 'gates']);
    t.deepEqual(seen.story.map((s) => s.id), [...replay.charts]);
    t.true(seen.markerList.includes(replay.key), `markers listed: ${seen.markerList.join(', ')}`);
    t.true(seen.page.scroll <= seen.page.client, `page ${seen.page.scroll} > ${seen.page.client}`);
    for (const w of seen.wraps) t.true(w.scroll <= w.client + 1, `table in #${w.id}: ${w.scroll} > ${w.client}`);
    for (const p of seen.points) t.true(p.n >= 3, `${p.chart} / ${p.label}: ${p.n} points`);
    for (const chart of seen.story) {
      t.true(chart.labels.length > 0, `${chart.id}: no marker label drawn`);
      for (const [i, a] of chart.labels.entries()) {
        t.true(a[0] >= 0 && a[0] + a[2] <= chart.width, `${chart.id}: label ${i} clipped (${a[0]}+${a[2]} of ${chart.width})`);
        for (const b of chart.labels.slice(i + 1)) {
          const overlap = a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
          t.false(overlap, `${chart.id}: labels ${JSON.stringify(a)} and ${JSON.stringify(b)} overlap`);
        }
      }
    }
  });
}
