// The rig verdict against a real CPU hog: the same smoke run passes alone and ends
// inconclusive (exit 4, naming the CPU-wait figure) beside busy processes that take the
// machine's cores. It lives with the load tests, which run one at a time, so "alone" is alone.
import test from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readResult, runCli } from '../cli/helpers.ts';

// Enough mail that the harness wants a good share of a core, so waiting for one shows.
const SMOKE = ['run', 'smoke', '--set', 'rate=100', '--set', 'duration=6s', '-q', '--rig-limit', 'cpuWaitShare=0.1'];

/** One busy process per core and one more, each ending by itself after `seconds`. */
function hog(seconds: number): ChildProcess[] {
  return Array.from({ length: os.availableParallelism() + 1 }, () =>
    spawn(process.execPath, ['-e', `const end = Date.now() + ${seconds * 1000}; while (Date.now() < end) {}`], { stdio: 'ignore' }));
}

test('smoke passes alone and is inconclusive beside a CPU hog, naming cpuWaitShare', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mailstorm-rig-hog-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));

  const alone = await runCli([...SMOKE, '--out', path.join(dir, 'alone')], dir);
  t.is(alone.code, 0, alone.stdout + alone.stderr);
  const quiet = await readResult(path.join(dir, 'alone'));
  t.is(quiet.verdict, 'pass');
  t.true((quiet.rig?.figures.cpuWaitShare ?? 1) < 0.1, JSON.stringify(quiet.rig?.figures));

  const busy = hog(60);
  t.teardown(() => { for (const p of busy) p.kill('SIGKILL'); });
  const loaded = await runCli([...SMOKE, '--out', path.join(dir, 'hog')], dir);
  for (const p of busy) p.kill('SIGKILL');
  t.is(loaded.code, 4, loaded.stdout + loaded.stderr);
  t.regex(loaded.stdout, /smoke: inconclusive \(harness overloaded: cpuWaitShare [\d.]+ > 0\.1\)/);
  const starved = await readResult(path.join(dir, 'hog'));
  t.is(starved.verdict, 'inconclusive');
  const breach = starved.rig?.breaches.find((b) => b.figure === 'cpuWaitShare');
  t.truthy(breach);
  t.is(breach?.observed, starved.rig?.figures.cpuWaitShare);
  // The mail still flowed and was counted: the verdict withholds judgement, not the evidence.
  t.is(starved.ledger?.lost, 0);
  t.true((starved.ledger?.delivered ?? 0) > 0);
});
