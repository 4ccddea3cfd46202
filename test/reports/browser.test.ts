// Opens report.html and compare.html in headless Chromium from disk: no console errors,
// no network, every chart drawn. Screenshots land in test-artifacts/ for people to look at.
import test, { type ExecutionContext } from 'ava';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeHtmlReport, writeSuiteReports } from '../../reports/html/index.ts';
import { runCompare } from '../../reports/compare/index.ts';
import type { Browser } from 'playwright-core';
import { CHROMIUM, checkPage as checkWith, hasChromium, launchChromium, type PageCheck } from './browser-check.ts';
import { fixturePath, loadRun, loadSuite } from './fixtures.ts';

const artifacts = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-artifacts', 'reports');
const browserTest = hasChromium() ? test.serial : test.skip;
if (!hasChromium()) console.log(`browser tests skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

let browser: Browser | undefined;
test.before(async () => {
  if (hasChromium()) browser = await launchChromium();
});
test.after.always(async () => {
  await browser?.close();
});
const checkPage = (file: string, screenshot: string) => checkWith(file, screenshot, browser);

/** A chart drew its data: more pixels in the datasets' colours than its legend swatches (12x2 each) hold. */
function drewData(t: ExecutionContext, chart: PageCheck['charts'][number]): void {
  t.true(chart.datasets > 0 && chart.dataPixels > 150 + 30 * chart.datasets, `${chart.id}: ${chart.dataPixels} pixels in ${chart.datasets} dataset colours`);
}

browserTest('report.html renders every chart from file:// with no errors and no network', async (t) => {
  const dir = join(artifacts, 'storm-failed');
  await mkdir(dir, { recursive: true });
  const file = await writeHtmlReport(loadRun('storm-failed'), dir);
  const page = await checkPage(file, join(artifacts, 'report-storm-failed.png'));
  t.deepEqual(page.consoleErrors, []);
  t.deepEqual(page.foreignRequests, []);
  t.is(page.title, 'reply-all-storm: fail · mailstorm');
  t.is(page.charts.length, 11);
  for (const chart of page.charts) drewData(t, chart);
});

browserTest('the migration report renders its progress and projection charts', async (t) => {
  const dir = join(artifacts, 'migration');
  await mkdir(dir, { recursive: true });
  const page = await checkPage(await writeHtmlReport(loadRun('migration'), dir), join(artifacts, 'report-migration.png'));
  t.deepEqual(page.consoleErrors, []);
  t.deepEqual(page.foreignRequests, []);
  t.deepEqual(page.charts.map((c) => c.id.split('/')[0]), ['throughput', 'latency-imap-login-time-flow-move', 'migration-progress', 'migration-ratio', 'other-mailbox-corrupt']);
  for (const chart of page.charts) drewData(t, chart);
});

browserTest('compare.html renders baseline and candidate charts side by side', async (t) => {
  const dir = join(artifacts, 'compare');
  const out = await runCompare(fixturePath('storm-baseline'), fixturePath('storm-worse-p99'), dir);
  const page = await checkPage(out.files.html, join(artifacts, 'compare-worse-p99.png'));
  t.deepEqual(page.consoleErrors, []);
  t.deepEqual(page.foreignRequests, []);
  t.is(page.charts.length, 22);
  t.is(page.charts.filter((c) => c.id.startsWith('0-b-')).length, 11);
  for (const chart of page.charts) drewData(t, chart);
});

browserTest('the suite index opens with no errors and links each scenario report', async (t) => {
  const dir = join(artifacts, 'suite');
  const { html } = await writeSuiteReports(loadSuite('suite-pre-upgrade'), [loadRun('storm-failed'), loadRun('migration')], dir);
  const page = await checkPage(html, join(artifacts, 'suite-index.png'));
  t.deepEqual(page.consoleErrors, []);
  t.deepEqual(page.foreignRequests, []);
  t.is(page.title, 'Suite pre-upgrade: fail · mailstorm');
});
