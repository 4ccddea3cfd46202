// What a reader of one report.html sees in headless Chromium at 1400 px, as assertions: the
// story under the verdict with its key marker, no horizontal overflow of the page or of any
// table's container, at least three points in every drawn line, and marker labels (on every
// chart, with the closed groups opened) inside their chart and clear of each other, and every
// verdict badge on one line (a narrow table column once broke "PASS" in two).
// A full-page screenshot is saved for people to look at.
import type { ExecutionContext } from 'ava';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import type { RunResult } from '../../harness/result-schema.ts';
import { writeHtmlReport } from '../../reports/html/index.ts';

export interface Expected {
  /** a marker label the story must list */
  key: string;
  /** the story charts' ids, in order; omitted: at least one */
  charts?: readonly string[];
}

export async function checkReportLayout(t: ExecutionContext, browser: Browser, result: RunResult, dir: string, screenshot: string, expected: Expected): Promise<void> {
  await mkdir(dir, { recursive: true });
  const file = await writeHtmlReport(result, dir);
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('body[data-charts-drawn]');
  await page.evaluate(() => new Promise<void>((resolve) => {
    document.querySelectorAll('details').forEach((d) => { (d as HTMLDetailsElement).open = true; });
    requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 50)));
  }));
  const seen = await page.evaluate(() => {
    const order = Array.from(document.querySelectorAll('main > header, main > p, main > section')).map((s) => s.id || s.tagName.toLowerCase());
    const doc = document.documentElement;
    const wraps = Array.from(document.querySelectorAll('table')).map((tbl) => {
      const box = tbl.parentElement as HTMLElement;
      return { id: box.closest('section')?.id ?? '', scroll: box.scrollWidth, client: box.clientWidth };
    });
    const data = JSON.parse(document.getElementById('report-data')!.textContent!) as { charts: { id: string; kind: string; datasets: { label: string; data: unknown[]; dashed?: boolean }[] }[] };
    const drawnIds = new Set(Array.from(document.querySelectorAll('canvas[data-chart]')).map((c) => c.getAttribute('data-chart')));
    const canvases = Array.from(document.querySelectorAll('canvas[data-chart]')).map((c) => ({
      id: `${c.getAttribute('data-chart')}/${c.getAttribute('data-timeline')}`,
      story: c.closest('#story') !== null,
      labels: JSON.parse(c.getAttribute('data-marker-labels') ?? '[]') as [number, number, number, number][],
      width: (c as HTMLCanvasElement).clientWidth,
    }));
    return {
      order, canvases, wraps,
      page: { scroll: doc.scrollWidth, client: doc.clientWidth },
      points: data.charts.filter((c) => c.kind === 'line' && drawnIds.has(c.id)).flatMap((c) => c.datasets.filter((d) => !d.dashed).map((d) => ({ chart: c.id, label: d.label, n: d.data.length }))),
      badges: Array.from(document.querySelectorAll('.badge')).map((b) => ({ text: b.textContent ?? '', lines: b.getClientRects().length, height: b.getBoundingClientRect().height })),
      markerList: Array.from(document.querySelectorAll('#story .story-markers li b')).map((b) => b.textContent ?? ''),
    };
  });
  await page.screenshot({ path: screenshot, fullPage: true });
  // what a reader sees first: verdict, story and gates
  await page.screenshot({ path: screenshot.replace(/\.png$/, '-top.png'), clip: { x: 0, y: 0, width: 1400, height: 1700 } });
  await page.close();
  t.deepEqual(errors, []);
  t.deepEqual(seen.order.slice(0, 4), ['header', 'verdict-summary', 'story', 'gates']);
  const story = seen.canvases.filter((c) => c.story);
  if (expected.charts) t.deepEqual(story.map((s) => s.id.split('/')[0]), [...expected.charts]);
  else t.true(story.length > 0, 'a story chart is drawn');
  t.true(seen.markerList.includes(expected.key), `markers listed: ${seen.markerList.join(', ')}`);
  t.true(story.some((c) => c.labels.length > 0), 'a marker label is drawn on the story');
  t.true(seen.page.scroll <= seen.page.client, `page ${seen.page.scroll} > ${seen.page.client}`);
  for (const w of seen.wraps) t.true(w.scroll <= w.client + 1, `table in #${w.id}: ${w.scroll} > ${w.client}`);
  t.true(seen.badges.length > 0, 'verdict badges are drawn');
  const badgeHeight = Math.min(...seen.badges.map((b) => b.height));
  for (const b of seen.badges) t.true(b.lines === 1 && b.height <= badgeHeight + 1, `badge "${b.text}": ${b.lines} boxes, ${b.height} px high (one line: ${badgeHeight} px)`);
  for (const p of seen.points) t.true(p.n >= 3, `${p.chart} / ${p.label}: ${p.n} points`);
  for (const chart of seen.canvases) {
    for (const [i, a] of chart.labels.entries()) {
      t.true(a[0] >= 0 && a[0] + a[2] <= chart.width, `${chart.id}: label ${i} clipped (${a[0]}+${a[2]} of ${chart.width})`);
      for (const b of chart.labels.slice(i + 1)) {
        const overlap = a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
        t.false(overlap, `${chart.id}: labels ${JSON.stringify(a)} and ${JSON.stringify(b)} overlap`);
      }
    }
  }
}
