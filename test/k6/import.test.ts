// mailstorm import k6 as a user runs it: two runners (segments 0:1/2 and 1/2:1) of an exported
// smoke script run under the test shim against the embedded fakes, each writes its
// mailstorm-summary.json through handleSummary, and the real CLI merges them into one verdict.
import test from 'ava';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../cli/program.ts';
import { resolveParams } from '../../harness/scenario/params.ts';
import type { RunResult } from '../../harness/result-schema.ts';
import type { ScenarioDefinition } from '../../harness/scenario/types.ts';
import { exportK6 } from '../../k6/export.ts';
import { HISTOGRAM } from '../../k6/mergeable.ts';
import { LEDGER_NOT_JUDGED } from '../../k6/judge-gates.ts';
import { builtIns } from '../../scenarios/index.ts';
import { embeddedProvider } from '../../stack/embedded/index.ts';
import { accountRows, accountsText, k6EnvLine } from '../../cli/fakes-k6.ts';
import { stackOptions } from '../stack-embedded/helpers.ts';
import { loadScript } from './shim/load-script.ts';
import { state } from './shim/execution.ts';
import { recorded } from './shim/metrics.ts';
import { k6SummaryData } from './shim/summary.ts';

async function cli(args: string[]) {
  const stdout = new PassThrough(), stderr = new PassThrough();
  let out = '', err = '';
  stdout.on('data', (c: Buffer) => (out += c)); stderr.on('data', (c: Buffer) => (err += c));
  const code = await main(['node', 'mailstorm', ...args], { stdout, stderr });
  return { code, out, err };
}

/** smoke with gates on what k6 records: each runner alone sends 12 (< 20), together 24. */
async function smokeWithK6Gates(): Promise<{ definition: ScenarioDefinition; params: Record<string, unknown> }> {
  const smoke = await builtIns.load('smoke');
  const definition: ScenarioDefinition = {
    ...smoke,
    options: (p) => {
      const o = smoke.options(p as never);
      return { ...o, thresholds: { ...o.thresholds, k6_smtp_sent: ['count>=20'], 'iterations{flow:mail}': ['count==24'], 'k6_smtp_time{flow:mail}': ['p(95)<60000'], 'k6_smtp_time{status:250}': ['p(95)<60000'] } };
    },
  };
  const { params } = resolveParams(definition, {});
  return { definition, params: params as Record<string, unknown> };
}

interface Runner { file: string; smtpTimes: number[]; sent: number }

/** Runs one runner's iterations in a fresh copy of the script and writes its summary. */
async function runRunner(script: string, env: Record<string, string>, segment: string, firstIteration: number, dir: string, name: string): Promise<Runner> {
  const file = path.join(dir, name);
  const mod = await loadScript(script, { ...env, SUMMARY_FILE: file });
  state.test.options = { executionSegment: segment, executionSegmentSequence: '0,1/2,1' };
  const from = recorded.length;
  const started = Date.now();
  for (let i = 0; i < 12; i++) {
    state.scenario = { name: 'mail', iterationInTest: firstIteration + i };
    await (mod['mail'] as () => Promise<void>)();
  }
  const mine = recorded.slice(from);
  const files = (mod['handleSummary'] as (d: unknown) => Record<string, string>)(k6SummaryData(mine, Date.now() - started));
  await writeFile(file, files[file]!);
  return { file, smtpTimes: mine.filter((r) => r.name === 'k6_smtp_time').map((r) => r.value), sent: mine.filter((r) => r.name === 'k6_smtp_sent').length };
}

const nearestRank = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.ceil((p / 100) * values.length) - 1]!;

let runners: { a: Runner; b: Runner; dir: string; script: string; env: Record<string, string> } | undefined;

test.before(async () => {
  const options = stackOptions({ population: { organisations: [{ name: 'T', users: 6 }] } });
  await using stack = await embeddedProvider.start(options);
  const dir = await mkdtemp(path.join(tmpdir(), 'mailstorm-k6-import-'));
  const accounts = path.join(dir, 'accounts.json');
  await writeFile(accounts, accountsText(accountRows(stack.directory!), accounts));
  const env = Object.fromEntries(k6EnvLine(stack.endpoints, accounts, 'run9').split(' ').map((kv) => kv.split('=') as [string, string]));
  const script = (await exportK6(await smokeWithK6Gates())).files['script.ts']!;
  // the second runner sends bigger messages, so the two halves' latencies differ
  const a = await runRunner(script, { ...env, SIZE_BYTES: '512' }, '0:1/2', 0, dir, 'a.json');
  const b = await runRunner(script, { ...env, SIZE_BYTES: '400000' }, '1/2:1', 12, dir, 'b.json');
  runners = { a, b, dir, script, env };
});

test.serial('two runners merge into one result: counters summed, p95 over the union, gates judged once', async (t) => {
  const { a, b, dir } = runners!;
  const out = path.join(dir, 'merged');
  const r = await cli(['import', 'k6', a.file, b.file, '--out', out, '--quiet']);
  t.is(r.code, 0, r.err + r.out);
  t.notRegex(r.err, /report writer failed/);
  const result = JSON.parse(await readFile(path.join(out, 'result.json'), 'utf8')) as RunResult;
  t.like(result, { runId: 'run9', complete: true, verdict: 'pass', scenario: { name: 'smoke' }, stack: { kind: 'remote' } });
  t.deepEqual((await readdir(out)).filter((f) => /\.(json|xml|html|md)$/.test(f)).sort(), ['report.html', 'report.md', 'junit.xml', 'result.json'].sort());

  const metric = (name: string) => result.metrics.find((m) => m.name === name && m.tags['flow'] === 'mail')!;
  t.is(a.sent, 12);
  t.is(b.sent, 12);
  t.is(metric('k6_smtp_sent').values['count'], a.sent + b.sent);
  t.is(metric('iterations').values['count'], 24);
  t.is(metric('k6_smtp_time').values['count'], a.smtpTimes.length + b.smtpTimes.length);

  const union = [...a.smtpTimes, ...b.smtpTimes];
  const truth = nearestRank(union, 95);
  const merged = metric('k6_smtp_time').values['p(95)']!;
  t.true(Math.abs(merged - truth) <= HISTOGRAM.relativeError * truth + 1e-9, `merged p95 ${merged}, union p95 ${truth}`);
  t.is(metric('k6_smtp_time').values['max'], Math.max(...union));
  t.is(metric('k6_smtp_time').values['min'], Math.min(...union));

  const gate = (m: string) => result.gates.find((g) => g.metric === m)!;
  // fails on either runner alone (12 < 20), passes on the union (24)
  t.like(gate('k6_smtp_sent'), { ok: true, observed: 24 });
  t.like(gate('iterations{flow:mail}'), { ok: true, observed: 24 });
  t.like(gate('k6_smtp_time{flow:mail}'), { ok: true, observed: merged });
  t.regex(gate('k6_smtp_time{status:250}').notEvaluated ?? '', /by flow only; the tag filter \{status\} cannot be judged/);
  for (const m of ['mail_lost', 'mail_duplicated', 'mail_delivered']) t.is(gate(m).notEvaluated, LEDGER_NOT_JUDGED);
  t.true(result.stack.notes.some((n) => n.includes('segments 0:1/2, 1/2:1')), result.stack.notes.join('\n'));
  t.regex(await readFile(path.join(out, 'junit.xml'), 'utf8'), /k6_smtp_sent/);
});

test.serial('a gate that passes on each runner fails on the union: judged on the union, exit 1', async (t) => {
  const { a, b, dir } = runners!;
  // each runner saw 12 iterations: "count<=12" holds on either alone, not on the 24 together
  const rewrite = async (file: string, to: string, gates: Record<string, unknown> = { 'iterations{flow:mail}': ['count<=12'] }) => {
    const s = JSON.parse(await readFile(file, 'utf8')) as { mailstorm: { gates: Record<string, unknown> } };
    s.mailstorm.gates = gates;
    await writeFile(to, JSON.stringify(s));
    return to;
  };
  const out = path.join(dir, 'union-fails');
  const r = await cli(['import', 'k6', await rewrite(a.file, path.join(dir, 'a2.json')), await rewrite(b.file, path.join(dir, 'b2.json')), '--out', out, '--quiet']);
  t.is(r.code, 1, r.err + r.out);
  const result = JSON.parse(await readFile(path.join(out, 'result.json'), 'utf8')) as RunResult;
  t.is(result.verdict, 'fail');
  t.like(result.gates[0], { metric: 'iterations{flow:mail}', ok: false, observed: 24 });

  // smoke's own gates are all ledger gates: nothing is judged, so nothing passes (exit 4)
  const ledgerOnly = { mail_lost: ['count==0'], mail_delivered: ['count>0'] };
  const out2 = path.join(dir, 'ledger-only');
  const r2 = await cli(['import', 'k6', await rewrite(a.file, path.join(dir, 'a3.json'), ledgerOnly), await rewrite(b.file, path.join(dir, 'b3.json'), ledgerOnly), '--out', out2, '--quiet']);
  t.is(r2.code, 4, r2.err + r2.out);
  t.notRegex(r2.err, /report writer failed/);
  const result2 = JSON.parse(await readFile(path.join(out2, 'result.json'), 'utf8')) as RunResult;
  t.is(result2.verdict, 'inconclusive');
  t.true(result2.gates.every((g) => g.notEvaluated === LEDGER_NOT_JUDGED));
});

test.serial('mismatched run ids, a missing segment and overlapping segments are bad input naming the problem', async (t) => {
  const { a, b, dir } = runners!;
  const other = JSON.parse(await readFile(b.file, 'utf8')) as { runId: string };
  other.runId = 'run10';
  const otherFile = path.join(dir, 'other.json');
  await writeFile(otherFile, JSON.stringify(other));
  const ids = await cli(['import', 'k6', a.file, otherFile, '--out', path.join(dir, 'x')]);
  t.is(ids.code, 2);
  t.is(ids.err, `mailstorm: ${otherFile}: run id "run10" differs from ${a.file}'s "run9": the summaries are not from one run (each runner of a run gets the same RUN_ID)\n`);

  const missing = await cli(['import', 'k6', a.file, '--out', path.join(dir, 'x')]);
  t.is(missing.code, 2);
  t.is(missing.err, 'mailstorm: the runner summaries do not cover the run: segment 1/2:1 is missing (no runner summary for it)\n');

  const twice = await cli(['import', 'k6', a.file, a.file, b.file, '--out', path.join(dir, 'x')]);
  t.is(twice.code, 2);
  t.regex(twice.err, /the runner summaries overlap: segment 0:1\/2 \(.*a\.json\) overlaps 0:1\/2/);

  const plain = path.join(dir, 'plain.json');
  await writeFile(plain, JSON.stringify({ metrics: { iterations: { type: 'counter', values: { count: 3 } } } }));
  // a plain k6 summary is imported (import-plain.test.ts); one without thresholds judges nothing
  const p = await cli(['import', 'k6', plain, '--out', path.join(dir, 'plain-out'), '--quiet']);
  t.is(p.code, 4, p.err);
  t.regex(p.err, /no threshold could be judged; one plain k6 summary/);
});
