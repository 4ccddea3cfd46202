// mailstorm import k6 with plain k6 summaries, as a user runs it: an exported smoke script runs
// as two runners under the test shim against the embedded fakes; their samples are summarised
// the way k6 does (handleSummary data, and the legacy --summary-export file k6 derives from it),
// written to files, and the real CLI judges them: counters summed, percentiles of several
// files not merged (said so), one file's percentiles used as they are.
import test from 'ava';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../cli/program.ts';
import { accountRows, accountsText, k6EnvLine } from '../../cli/fakes-k6.ts';
import { resolveParams } from '../../harness/scenario/params.ts';
import type { RunResult } from '../../harness/result-schema.ts';
import { exportK6 } from '../../k6/export.ts';
import { PERCENTILES_NOT_MERGED } from '../../k6/plain-merge.ts';
import { builtIns } from '../../scenarios/index.ts';
import { embeddedProvider } from '../../stack/embedded/index.ts';
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

type Data = ReturnType<typeof k6SummaryData>;
/** The thresholds the k6 script declared, each judged by k6 on one runner's data alone. */
const THRESHOLDS: Record<string, string[]> = {
  k6_smtp_sent: ['count>=10'],
  k6_smtp_time: ['p(95)<60000', 'max<60000', 'p(99)<60000', 'avg<60000'],
  mailstorm_iterations_mail: ['count==12'],
};
const K6_DEFAULT_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'];

function withThresholds(data: Data): Record<string, unknown> {
  const metrics: Record<string, unknown> = {};
  for (const [name, m] of Object.entries(data.metrics)) {
    const thresholds: Record<string, { ok: boolean }> = {};
    for (const expr of THRESHOLDS[name] ?? []) {
      const [, stat, op, limit] = /^(.+?)(<|>=|==)(\d+)$/.exec(expr)!;
      const v = m.values[stat!]!;
      thresholds[expr] = { ok: op === '<' ? v < Number(limit) : op === '>=' ? v >= Number(limit) : v === Number(limit) };
    }
    metrics[name] = { type: m.type, contains: m.type === 'trend' ? 'time' : 'default', values: m.values, ...(Object.keys(thresholds).length ? { thresholds } : {}) };
  }
  return { metrics, state: data.state, root_group: { name: '', path: '', groups: [], checks: [] } };
}

/** k6's --summary-export from the same data: values flat, a threshold true when it FAILED, a rate's rate as `value`, k6's default trend stats, no state. */
function legacy(data: Record<string, unknown>): Record<string, unknown> {
  const metrics: Record<string, unknown> = {};
  for (const [name, m] of Object.entries(data['metrics'] as Record<string, { type: string; values: Record<string, number>; thresholds?: Record<string, { ok: boolean }> }>)) {
    let values: Record<string, unknown> = { ...m.values };
    if (m.type === 'trend') values = Object.fromEntries(K6_DEFAULT_TREND_STATS.map((s) => [s, m.values[s]]));
    if (m.type === 'rate') { values['value'] = values['rate']; delete values['rate']; }
    if (m.thresholds) values['thresholds'] = Object.fromEntries(Object.entries(m.thresholds).map(([e, r]) => [e, !r.ok]));
    metrics[name] = values;
  }
  return { root_group: data['root_group'], metrics };
}

interface Runner { samples: typeof recorded; data: Record<string, unknown> }
let runners: { a: Runner; b: Runner; dir: string } | undefined;

test.before(async () => {
  const options = stackOptions({ population: { organisations: [{ name: 'T', users: 6 }] } });
  await using stack = await embeddedProvider.start(options);
  const dir = await mkdtemp(path.join(tmpdir(), 'mailstorm-k6-plain-'));
  const accounts = path.join(dir, 'accounts.json');
  await writeFile(accounts, accountsText(accountRows(stack.directory!), accounts));
  const env = Object.fromEntries(k6EnvLine(stack.endpoints, accounts, 'plain1').split(' ').map((kv) => kv.split('=') as [string, string]));
  const smoke = await builtIns.load('smoke');
  const { params } = resolveParams(smoke, {});
  const script = (await exportK6({ definition: smoke, params: params as Record<string, unknown> })).files['script.ts']!;
  const run = async (first: number, size: string): Promise<Runner> => {
    const mod = await loadScript(script, { ...env, SIZE_BYTES: size });
    const from = recorded.length;
    const started = Date.now();
    for (let i = 0; i < 6; i++) {
      state.scenario = { name: 'mail', iterationInTest: first + i };
      await (mod['mail'] as () => Promise<void>)();
    }
    const samples = recorded.slice(from);
    return { samples, data: withThresholds(k6SummaryData(samples, Date.now() - started)) };
  };
  // the second runner sends bigger messages, so the two runners' latencies differ
  runners = { a: await run(0, '512'), b: await run(6, '300000'), dir };
});

const times = (r: Runner) => r.samples.filter((s) => s.name === 'k6_smtp_time').map((s) => s.value);
const gate = (result: RunResult, metric: string, expression: string) => result.gates.find((g) => g.metric === metric && g.expression === expression)!;

test.serial('two --summary-export files: counters summed and judged together, max over both, percentiles not merged and said so', async (t) => {
  const { a, b, dir } = runners!;
  const fa = path.join(dir, 'runner-1.json'), fb = path.join(dir, 'runner-2.json');
  await writeFile(fa, JSON.stringify(legacy(a.data), null, 4));
  await writeFile(fb, JSON.stringify(legacy(b.data), null, 4));
  const out = path.join(dir, 'two-legacy');
  const r = await cli(['import', 'k6', fa, fb, '--out', out]);
  t.is(r.code, 0, r.err + r.out);
  t.notRegex(r.err, /report writer failed/);
  const result = JSON.parse(await readFile(path.join(out, 'result.json'), 'utf8')) as RunResult;
  t.like(result, { verdict: 'pass', complete: true, scenario: { name: 'k6' }, stack: { kind: 'remote' } });
  t.is(result.gates.length, 6);
  // 6 each: each runner alone failed count>=10 and count==12, together they pass
  t.like(gate(result, 'k6_smtp_sent', 'count>=10'), { ok: true, observed: 12 });
  t.like(gate(result, 'mailstorm_iterations_mail', 'count==12'), { ok: true, observed: 12 });
  t.like(gate(result, 'k6_smtp_time', 'max<60000'), { ok: true, observed: Math.max(...times(a), ...times(b)) });
  t.is(gate(result, 'k6_smtp_time', 'p(95)<60000').notEvaluated, PERCENTILES_NOT_MERGED);
  t.is(gate(result, 'k6_smtp_time', 'p(99)<60000').notEvaluated, PERCENTILES_NOT_MERGED);
  // the legacy file has no count, so the files' averages cannot be weighted
  t.regex(gate(result, 'k6_smtp_time', 'avg<60000').notEvaluated ?? '', /avg over several summaries needs each file's count of k6_smtp_time/);
  const sent = result.metrics.find((m) => m.name === 'k6_smtp_sent')!;
  t.is(sent.values['count'], 12);
  const time = result.metrics.find((m) => m.name === 'k6_smtp_time')!;
  t.deepEqual(Object.keys(time.values).sort(), ['max', 'min']);
  t.is(time.values['min'], Math.min(...times(a), ...times(b)));
  // the note: result.json's reason and notes, the terminal summary, stderr
  t.regex(result.reason, /cannot be merged exactly/);
  t.true(result.stack.notes.some((n) => n.includes('runner-1.json, judged alone by k6: failed k6_smtp_sent count>=10, mailstorm_iterations_mail count==12')), result.stack.notes.join('\n'));
  t.true(result.stack.notes.some((n) => n.includes('runner-1.json: k6 --summary-export')));
  t.regex(r.out, /k6_summaries: 2 plain k6 summaries: counters and rates summed; percentiles not merged/);
  t.regex(r.out, /k6_smtp_time: p\(95\)<60000 {2}not evaluated \(no samples; percentiles and medians from several plain k6 summaries cannot be merged exactly/);
  t.regex(r.err, /mailstorm: 2 plain k6 summaries: .*cannot be merged exactly/);
  t.regex(r.err, /merged 2 plain k6 summaries into/);
});

test.serial('two files of handleSummary data: a trend\'s avg is weighted by each file\'s count, so it is the mean of every sample', async (t) => {
  const { a, b, dir } = runners!;
  const fa = path.join(dir, 'data-1.json'), fb = path.join(dir, 'data-2.json');
  await writeFile(fa, JSON.stringify(a.data));
  await writeFile(fb, JSON.stringify(b.data));
  const r = await cli(['import', 'k6', fa, fb, '--out', path.join(dir, 'two-data'), '--quiet']);
  t.is(r.code, 0, r.err + r.out);
  const result = JSON.parse(await readFile(path.join(dir, 'two-data', 'result.json'), 'utf8')) as RunResult;
  const all = [...times(a), ...times(b)];
  const mean = all.reduce((x, y) => x + y, 0) / all.length;
  const avg = gate(result, 'k6_smtp_time', 'avg<60000');
  t.true(avg.ok);
  t.true(Math.abs(avg.observed! - mean) < 1e-9, `${avg.observed} vs ${mean}`);
  const time = result.metrics.find((m) => m.name === 'k6_smtp_time')!;
  t.deepEqual(Object.keys(time.values).sort(), ['avg', 'count', 'max', 'min']);
  t.is(time.values['count'], 12);
  t.is(gate(result, 'k6_smtp_time', 'p(95)<60000').notEvaluated, PERCENTILES_NOT_MERGED);
});

test.serial('one summary: its own percentiles judge the gates; a percentile it lacks is not evaluated; a counter short alone fails (exit 1)', async (t) => {
  const { a, dir } = runners!;
  const data = path.join(dir, 'data.json'), old = path.join(dir, 'old.json');
  await writeFile(data, JSON.stringify(a.data));
  await writeFile(old, JSON.stringify(legacy(a.data)));
  const p95 = (a.data['metrics'] as Record<string, { values: Record<string, number> }>)['k6_smtp_time']!.values['p(95)']!;

  const r1 = await cli(['import', 'k6', data, '--out', path.join(dir, 'one-data'), '--quiet']);
  t.is(r1.code, 1, r1.err + r1.out);
  const res1 = JSON.parse(await readFile(path.join(dir, 'one-data', 'result.json'), 'utf8')) as RunResult;
  t.is(res1.verdict, 'fail');
  t.like(gate(res1, 'k6_smtp_time', 'p(95)<60000'), { ok: true, observed: p95 });
  t.like(gate(res1, 'k6_smtp_time', 'p(99)<60000'), { ok: true }); // handleSummary data holds p(99) (the script asks for it)
  t.like(gate(res1, 'k6_smtp_sent', 'count>=10'), { ok: false, observed: 6 });
  t.regex(res1.reason, /one plain k6 summary: its percentiles are used as k6 computed them/);
  t.true(res1.stack.notes.some((n) => n.includes('data.json: k6 summary data')));

  const r2 = await cli(['import', 'k6', old, '--out', path.join(dir, 'one-old'), '--quiet']);
  t.is(r2.code, 1, r2.err + r2.out);
  const res2 = JSON.parse(await readFile(path.join(dir, 'one-old', 'result.json'), 'utf8')) as RunResult;
  t.like(gate(res2, 'k6_smtp_time', 'p(95)<60000'), { ok: true, observed: p95 });
  t.regex(gate(res2, 'k6_smtp_time', 'p(99)<60000').notEvaluated ?? '', /p\(99\) is not in the summary of k6_smtp_time \(it holds avg, min, med, max, p\(90\), p\(95\)/);
  t.like(gate(res2, 'mailstorm_iterations_mail', 'count==12'), { ok: false, observed: 6 });
  const rate = res2.metrics.find((m) => m.name === 'k6_smtp_time')!;
  t.deepEqual(Object.keys(rate.values), K6_DEFAULT_TREND_STATS);
});

test.serial('a file of neither shape, a mix of kinds and a plain file given twice are bad input naming the file', async (t) => {
  const { a, dir } = runners!;
  const other = path.join(dir, 'other.json');
  await writeFile(other, JSON.stringify({ root_group: {}, checks: 3 }));
  const r1 = await cli(['import', 'k6', other, '--out', path.join(dir, 'x')]);
  t.is(r1.code, 2);
  t.is(r1.err, `mailstorm: ${other}: neither a mailstorm runner summary (the mailstorm-summary.json an exported script writes) nor a plain k6 summary (\`k6 run --summary-export\`, or handleSummary's data as JSON): it has no "mailstorm" block and no "metrics" object (top-level keys: root_group, checks)\n`);

  const odd = path.join(dir, 'odd.json');
  await writeFile(odd, JSON.stringify({ metrics: { k6_smtp_sent: { total: 3 } } }));
  const r2 = await cli(['import', 'k6', odd, '--out', path.join(dir, 'x')]);
  t.is(r2.code, 2);
  t.is(r2.err, `mailstorm: ${odd}: metrics.k6_smtp_sent: cannot tell the metric's kind from its stats (total)\n`);

  const plain = path.join(dir, 'plain.json');
  await writeFile(plain, JSON.stringify(legacy(a.data)));
  const runner = path.join(dir, 'runner.json');
  await writeFile(runner, JSON.stringify({ mailstorm: {}, k6: a.data }));
  const r3 = await cli(['import', 'k6', plain, runner, '--out', path.join(dir, 'x')]);
  t.is(r3.code, 2);
  t.is(r3.err, `mailstorm: ${plain}: a plain k6 summary, while ${runner} is a mailstorm runner summary; import one kind at a time (a run's runners all write the same kind)\n`);

  const r4 = await cli(['import', 'k6', plain, plain, '--out', path.join(dir, 'x')]);
  t.is(r4.code, 2);
  t.is(r4.err, `mailstorm: ${plain}: given twice; each runner's summary counts once\n`);
});
