// Each replay's report.html in headless Chromium at 1400 px: the story chart stands under
// the verdict with its key moment, nothing overflows the page, every drawn story line has
// at least three points (dashed projections excepted), and no two marker labels overlap (see
// report-layout.ts). Screenshots go to test-artifacts/.
import test from 'ava';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { checkReportLayout } from './report-layout.ts';
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
    await checkReportLayout(t, browser!, loadRun(replay.fixture), join(artifacts, replay.fixture), join(artifacts, `story-${replay.fixture}.png`), replay);
  });
}
