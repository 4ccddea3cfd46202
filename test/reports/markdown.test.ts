import test from 'ava';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { markdownReporter, renderMarkdown, renderSuiteMarkdown } from '../../reports/markdown/index.ts';
import { loadRun, loadSuite, tempDir } from './fixtures.ts';

test('report.md has the verdict, a gate table, key figures, the ledger line and a link to the HTML', (t) => {
  const md = renderMarkdown(loadRun('storm-failed'));
  t.true(md.startsWith('## ❌ reply-all-storm: FAIL\n'));
  t.true(md.includes('1 of 4 gates failed.'));
  t.true(md.includes('| Gate | Threshold | Observed | Result | What it means for users |'));
  t.true(md.includes('| delivery_latency{flow:background} p(99)<60000 | p(99) < 1m | 1m6s | ❌ FAIL | Background mail p99 took 1m6s to arrive (limit 1m); users saw mail arrive minutes late. |'));
  t.true(md.includes('| mail_lost count==0 | count == 0 | 0 | ✅ pass |'));
  t.true(md.includes('| delivery_latency{flow:storm} | 2.5s | 1m52s | 1m56s | 2m8s |'));
  t.true(md.includes('| extra_messages | 8,400 messages | 840,000 messages |'));
  t.true(md.includes('**Ledger:** 8,619 expected · 8,579 delivered · 0 queued · 40 bounced · 0 lost · 2 duplicated · 322 late'));
  t.true(md.includes('[Full report with charts](report.html)'));
  t.true(md.includes('`mailstorm run reply-all-storm --stack embedded --scale 0.01 --seed 42 --set stormProtection=false`'));
});

test('a pipe in a value does not break the Markdown table', (t) => {
  const result = loadRun('migration');
  result.gates[0]!.description = 'a | b';
  t.true(renderMarkdown(result).includes('a \\| b'));
});

test('the suite summary lists every scenario with its verdict and why it failed', (t) => {
  const md = renderSuiteMarkdown(loadSuite('suite-pre-upgrade'), [loadRun('storm-failed'), loadRun('migration')]);
  t.true(md.startsWith('## ❌ Suite pre-upgrade: FAIL'));
  t.true(md.includes('| [reply-all-storm](reply-all-storm/report.html) | ❌ fail | 3/4 | 0 | Background mail p99 took 1m6s'));
  t.true(md.includes('| [weekend-migration](weekend-migration/report.html) | ✅ pass | 3/3 |'));
});

test('markdownReporter writes report.md when the run ends', async (t) => {
  const dir = await tempDir('md');
  const reporter = markdownReporter();
  await reporter.onBegin({ runId: 'r', scenario: 'weekend-migration', outDir: dir, plannedMs: 1000 });
  await reporter.onEnd(loadRun('migration'), dir);
  t.true((await readFile(join(dir, 'report.md'), 'utf8')).startsWith('## ✅ weekend-migration: PASS'));
});
