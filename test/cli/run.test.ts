import test from 'ava';
import path from 'node:path';
import { fixtureDir, readJunit, readResult, runCli } from './helpers.ts';

test('a passing gate exits 0 and writes result.json and junit.xml', async (t) => {
  const { dir, scenario, remote } = await fixtureDir(t);
  const out = path.join(dir, 'out');
  const r = await runCli(['run', scenario, ...remote, '--out', out, '--set', 'vus=2', '--set', 'iterations=3', '--seed', '7'], dir);
  t.is(r.code, 0, r.stderr);
  const result = await readResult(out);
  t.like(result, { complete: true, verdict: 'pass', seed: 7, params: { vus: 2, iterations: 3 } });
  t.is(result.gates[0]?.observed, 6);
  t.regex(result.command, /--seed 7/);
  t.regex(await readJunit(out), /<testsuite name="cli-counter" tests="3" failures="0"/);
  t.regex(r.stdout, /✓ fixture_work: count>0/);
});

test('a failing gate exits 1 and junit says observed vs threshold', async (t) => {
  const { dir, scenario, remote } = await fixtureDir(t);
  const out = path.join(dir, 'out');
  const r = await runCli(['run', scenario, ...remote, '--out', out, '--quiet', '--set', 'threshold=count>100'], dir);
  t.is(r.code, 1, r.stderr);
  const result = await readResult(out);
  t.like(result, { complete: true, verdict: 'fail' });
  t.regex(await readJunit(out), /message="observed 5 vs threshold count&gt;100"/);
});

test('a flow that always throws completes with its errors counted, and fails the default iteration_failed gate', async (t) => {
  const { dir, scenario, remote } = await fixtureDir(t);
  const out = path.join(dir, 'out');
  const r = await runCli(['run', scenario, ...remote, '--out', out, '--quiet', '--set', 'mode=throw', '--set', 'threshold=count==0'], dir);
  t.is(r.code, 1, r.stderr);
  const result = await readResult(out);
  t.true(result.complete);
  // its own gate (fixture_work count==0) passes: only the default gate catches that nothing worked
  t.like(result.gates.find((g) => g.metric === 'fixture_work'), { ok: true, observed: 0 });
  t.like(result.gates.find((g) => g.metric === 'iteration_failed{flow:work}'), { ok: false, observed: 1 });
  t.like(result.gates.find((g) => g.metric === 'iterations'), { ok: true, observed: 5 });
  t.is(result.errors[0]?.kind, 'TypeError');
  t.is(result.errors[0]?.count, 5);
  t.is(result.errors[0]?.sample, 'fixture flow always throws');
});

test('an uncaught exception during the run gives exit 3 and still writes the reports', async (t) => {
  const { dir, scenario, remote } = await fixtureDir(t);
  const out = path.join(dir, 'out');
  const r = await runCli(['run', scenario, ...remote, '--out', out, '--quiet', '--set', 'mode=crash', '--set', 'iterations=50'], dir);
  t.is(r.code, 3, r.stderr);
  const result = await readResult(out);
  t.like(result, { complete: false, verdict: 'error' });
  t.regex(result.reason, /uncaught error: socket exploded/);
  t.regex(await readJunit(out), /run incomplete/);
});

test('--execution-segment runs that share of the work: three segments together do the whole run', async (t) => {
  const { dir, scenario, remote } = await fixtureDir(t);
  const observed: (number | null | undefined)[] = [];
  for (const [i, segment] of ['0:1/3', '1/3:2/3', '2/3:1'].entries()) {
    const out = path.join(dir, `out-${i}`);
    const r = await runCli(['run', scenario, ...remote, '--out', out, '--quiet', '--set', 'vus=5', '--set', 'iterations=3',
      '--execution-segment', segment, '--execution-segment-sequence', '0,1/3,2/3,1'], dir);
    t.is(r.code, 0, r.stderr);
    const result = await readResult(out);
    observed.push(result.gates[0]?.observed as number | undefined);
    t.regex(result.command, new RegExp(`--execution-segment ${segment.replace(/\//g, '\\/')} --execution-segment-sequence 0,1/3,2/3,1`));
  }
  // 5 VUs striped over thirds: VUs 1 and 4, 2 and 5, then 3; each runs 3 iterations.
  t.deepEqual(observed, [6, 6, 3]);
});
