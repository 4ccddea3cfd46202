// Each replay's report.html from a short real run (test/scenarios/short-runs.ts), opened in
// headless Chromium: the same reader's checks as the story fixtures (report-layout.ts), on
// what a run really records. Runs go one after the other; screenshots land in
// test-artifacts/reports/real-<replay>.png.
import test from 'ava';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { runScenario } from '../scenarios/run-cli.ts';
import { SHORT_RUNS, type ShortRun } from '../scenarios/short-runs.ts';
import { CHROMIUM, hasChromium, launchChromium } from './browser-check.ts';
import { checkReportLayout } from './report-layout.ts';

const artifacts = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-artifacts', 'reports');
const browserTest = hasChromium() ? test.serial : test.skip;
if (!hasChromium()) console.log(`real report browser tests skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

let browser: Browser | undefined;
test.before(async () => {
  if (hasChromium()) browser = await launchChromium();
});
test.after.always(async () => {
  await browser?.close();
});

const REPLAYS: { run: ShortRun; key: string }[] = [
  { run: 'storm-protected', key: 'storm protection engaged' },
  { run: 'lockout', key: 'strict policy and forced resets' },
  { run: 'migration', key: 'go' },
  { run: 'leak', key: 'failover' },
  { run: 'cutover', key: 'rollback' },
];

for (const replay of REPLAYS) {
  browserTest(`${replay.run}: a real run's report tells its story, marked, readable and within the page`, async (t) => {
    t.timeout(300_000);
    const [file, sets] = SHORT_RUNS[replay.run];
    const { result } = await runScenario(file, sets);
    t.true(result.complete, `${replay.run} did not complete: ${result.reason}`);
    await checkReportLayout(t, browser!, result, join(artifacts, `real-${replay.run}`), join(artifacts, `real-${replay.run}.png`), { key: replay.key });
  });
}
