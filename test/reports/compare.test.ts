import test from 'ava';
import { readFile } from 'node:fs/promises';
import { InputError } from '../../engine/errors.ts';
import { DEFAULT_RULES, parseLatencyTolerance, parseRateTolerance, runCompare, type CompareRow } from '../../reports/compare/index.ts';
import { embeddedData, fixturePath, tempDir } from './fixtures.ts';

const regressions = (rows: CompareRow[]) => rows.filter((r) => r.verdict === 'regression').map((r) => r.item);

test('a worse p99 is a regression: exit 1, with the latency rows named', async (t) => {
  const out = await runCompare(fixturePath('storm-baseline'), fixturePath('storm-worse-p99'), await tempDir('cmp'));
  t.is(out.exitCode, 1);
  const rows = out.comparison.scenarios[0]!.rows;
  t.deepEqual(regressions(rows), [
    'delivery_latency{flow:background} p(95)', 'delivery_latency{flow:background} p(99)',
    'delivery_latency{flow:storm} p(95)', 'delivery_latency{flow:storm} p(99)',
  ]);
  const p99 = rows.find((r) => r.item === 'delivery_latency{flow:background} p(99)');
  t.like(p99, { baseline: '33.3s', candidate: '53.1s', delta: '+19.8s (+59.4%)', rule: 'worse by more than 10%' });
  t.like(rows.find((r) => r.item === 'delivery_latency{flow:background} p(50)'), { verdict: 'same' });
  t.like(rows.find((r) => r.item === 'delivery_latency{flow:background} p(99)<120000'), { verdict: 'worse', delta: '+19.8s' });
  t.regex(out.text, /delivery_latency\{flow:background\} p\(99\)\s+33\.3s\s+53\.1s\s+\+19\.8s \(\+59\.4%\)\s+REGRESSION/);
});

test('one new lost message is a regression, and so is the gate it broke', async (t) => {
  const out = await runCompare(fixturePath('storm-baseline'), fixturePath('storm-lost-message'), await tempDir('cmp'));
  t.is(out.exitCode, 1);
  const rows = out.comparison.scenarios[0]!.rows;
  t.deepEqual(regressions(rows), ['mail_lost count==0', 'messages lost']);
  t.like(rows.find((r) => r.item === 'messages lost'), { baseline: '0', candidate: '1', delta: '+1', rule: 'a new lost message' });
  t.like(rows.find((r) => r.item === 'mail_lost count==0'), { baseline: 'pass 0', candidate: 'FAIL 1', rule: 'gate passed and now fails' });
});

test('identical inputs are no regression and write compare.html, compare.md and compare.json', async (t) => {
  const dir = await tempDir('cmp');
  const out = await runCompare(fixturePath('storm-baseline'), fixturePath('storm-baseline/result.json'), dir);
  t.is(out.exitCode, 0);
  t.true(out.comparison.scenarios[0]!.rows.every((r) => r.verdict === 'same'));
  const md = await readFile(out.files.markdown, 'utf8');
  t.true(md.startsWith('## ✅ No regression'));
  t.true(md.includes('| messages lost | 0 | 0 | 0 | same |'));
  const html = await readFile(out.files.html, 'utf8');
  const charts = embeddedData(html)['charts'] as { id: string }[];
  t.true(charts.some((c) => c.id === '0-b-throughput') && charts.some((c) => c.id === '0-c-throughput'), 'side-by-side charts');
  t.is(JSON.parse(await readFile(out.files.json, 'utf8')).regressions, 0);
});

test('suites are matched by scenario name', async (t) => {
  const out = await runCompare(fixturePath('suite-pre-upgrade'), fixturePath('suite-pre-upgrade/suite.json'), await tempDir('cmp'));
  t.is(out.exitCode, 0);
  t.deepEqual(out.comparison.scenarios.map((s) => s.scenario), ['reply-all-storm', 'weekend-migration']);
});

test('the rules are the user\'s: a looser latency tolerance lets the worse p99 through', async (t) => {
  const rules = { ...DEFAULT_RULES, latencyTolerance: parseLatencyTolerance('60%') };
  const out = await runCompare(fixturePath('storm-baseline'), fixturePath('storm-worse-p99'), await tempDir('cmp'), rules);
  t.is(out.exitCode, 0);
  t.is(parseRateTolerance('0.1pp'), 0.1);
  t.throws(() => parseLatencyTolerance('ten'), { instanceOf: InputError, message: /--latency-tolerance: "ten"/ });
});

test('a rate worse by more than the tolerance in percentage points is a regression', async (t) => {
  const dir = await tempDir('cmp');
  const { readFileSync, writeFileSync, mkdirSync } = await import('node:fs');
  const result = JSON.parse(readFileSync(fixturePath('storm-baseline/result.json'), 'utf8'));
  const rate = result.metrics.find((m: { name: string }) => m.name === 'submission_success');
  rate.values.rate -= 0.0015; // 0.15 percentage points worse
  mkdirSync(`${dir}/cand`);
  writeFileSync(`${dir}/cand/result.json`, JSON.stringify(result));
  const strict = await runCompare(fixturePath('storm-baseline'), `${dir}/cand`, dir);
  t.deepEqual(regressions(strict.comparison.scenarios[0]!.rows), ['submission_success{flow:background}']);
  const loose = await runCompare(fixturePath('storm-baseline'), `${dir}/cand`, dir, { ...DEFAULT_RULES, rateTolerancePoints: 0.2 });
  t.is(loose.exitCode, 0);
});

test('mismatched inputs are refused with what differs', async (t) => {
  const dir = await tempDir('cmp');
  await t.throwsAsync(runCompare(fixturePath('storm-baseline'), fixturePath('migration'), dir), {
    instanceOf: InputError, message: 'different scenarios: baseline ran "reply-all-storm", candidate ran "weekend-migration"',
  });
  await t.throwsAsync(runCompare(fixturePath('storm-baseline'), fixturePath('storm-schema-v2'), dir), {
    instanceOf: InputError, message: /different result schema versions: baseline .*storm-baseline\/result.json is v1, candidate .*storm-schema-v2\/result.json is v2/,
  });
  await t.throwsAsync(runCompare(fixturePath('storm-baseline'), fixturePath('suite-pre-upgrade'), dir), { instanceOf: InputError, message: /cannot compare a single run of reply-all-storm .* with a suite/ });
  await t.throwsAsync(runCompare(fixturePath('storm-baseline'), fixturePath('no-such-run'), dir), { instanceOf: InputError, message: /^candidate: .*no-such-run does not exist/ });
  await t.throwsAsync(runCompare(fixturePath('build-fixtures.ts'), fixturePath('storm-baseline'), dir), { instanceOf: InputError, message: /^baseline: .*build-fixtures.ts is not valid JSON/ });
});

test('a few ms more on a tiny latency is noise by default, a regression when the floor is 0', async (t) => {
  const dir = await tempDir('cmp');
  const { readFileSync, writeFileSync } = await import('node:fs');
  const result = JSON.parse(readFileSync(fixturePath('real-smoke/result.json'), 'utf8'));
  const send = result.metrics.find((m: { name: string }) => m.name === 'smtp.send_time');
  send.values.med = 6; // recorded 3 ms: twice as slow, 3 ms more
  writeFileSync(`${dir}/result.json`, JSON.stringify(result));
  const item = 'smtp.send_time{flow:mail} p(50)';
  const byDefault = await runCompare(fixturePath('real-smoke'), `${dir}/result.json`, dir);
  t.like(byDefault.comparison.scenarios[0]!.rows.find((r) => r.item === item), { verdict: 'worse', baseline: '3 ms', candidate: '6 ms' });
  t.is(byDefault.exitCode, 0);
  const strict = await runCompare(fixturePath('real-smoke'), `${dir}/result.json`, dir, { ...DEFAULT_RULES, latencyMinDeltaMs: 0 });
  t.like(strict.comparison.scenarios[0]!.rows.find((r) => r.item === item), { verdict: 'regression' });
  t.is(strict.exitCode, 1);
});

test('stack versions are named on both sides: an upgrade is a changed row, never a regression', async (t) => {
  const { compareRuns } = await import('../../reports/compare/index.ts');
  const base = JSON.parse(await readFile(fixturePath('storm-baseline/result.json'), 'utf8'));
  const side = (postfix: string, dovecot: string, extra: { name: string; version: string }[] = []) => ({
    ...base, stack: { kind: 'docker', notes: [], components: [{ name: 'postfix', version: postfix }, { name: 'dovecot', version: dovecot }, { name: 'toxiproxy' }, ...extra] },
  });
  const rows = compareRuns(side('3.7.11', '2.3.19.1 (9b53102964)'), side('3.10.13', '2.4.1-4 (7d8c0e5759)', [{ name: 'postfwd', version: '1.35' }]), DEFAULT_RULES);
  const stack = rows.filter((r) => r.section === 'stack');
  t.deepEqual(stack.map((r) => [r.item, r.baseline, r.candidate, r.verdict]), [
    ['postfix version', '3.7.11', '3.10.13', 'changed'],
    ['dovecot version', '2.3.19.1 (9b53102964)', '2.4.1-4 (7d8c0e5759)', 'changed'],
    ['postfwd version', 'absent', '1.35', 'new'],
  ]);
  t.is(rows.filter((r) => r.verdict === 'regression').length, 0);
});
