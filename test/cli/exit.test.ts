// Results survive every exit: a SIGKILLed run leaves a partial result.json, and `npx mailstorm`
// behaves like the node process behind it (no orphan, the exit code agrees with result.json).
import test from 'ava';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunResult } from '../../harness/result-schema.ts';
import { REPO, fixtureDir, startCli, waitFor } from './helpers.ts';
import { descendants, isRunning, waitGone } from './process-tree.ts';

/** Reads result.json until `ready` holds (checkpoints replace it every 5 s); bounded. */
async function resultWhen(out: string, ready: (r: RunResult) => boolean, timeoutMs = 60_000): Promise<RunResult> {
  const deadline = Date.now() + timeoutMs;
  let last: RunResult | undefined;
  while (Date.now() < deadline) {
    try {
      last = JSON.parse(await readFile(path.join(out, 'result.json'), 'utf8')) as RunResult;
      if (ready(last)) return last;
    } catch {
      // not written yet; a half-written file is impossible (rename), so only ENOENT lands here
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`result.json in ${out} never matched; last: ${JSON.stringify(last)?.slice(0, 300)}`);
}

const workCount = (r: RunResult) => r.metrics.find((m) => m.name === 'fixture_work')?.values['count'] ?? 0;

/** What the exit code of a finished run must be, read from its result.json. */
function exitCodeOf(r: RunResult): number {
  if (/interrupted by SIGTERM/.test(r.reason)) return 143;
  if (/interrupted by SIGINT/.test(r.reason)) return 130;
  return { pass: 0, fail: 1, inconclusive: 4, error: 3 }[r.verdict];
}

test('SIGKILL mid-run leaves result.json with complete:false, the metrics so far and no gate shown as passed', async (t) => {
  const { dir, scenario, remote } = await fixtureDir(t);
  const out = path.join(dir, 'out');
  const marker = path.join(dir, 'running');
  const { child, done } = startCli(['run', scenario, ...remote, '--out', out, '--quiet', '--set', 'mode=timed', '--duration', '60s', '--set', `marker=${marker}`], dir);
  await waitFor(marker);
  const before = await resultWhen(out, (r) => workCount(r) > 0);
  child.kill('SIGKILL');
  const r = await done;
  t.is(r.signal, 'SIGKILL');
  const result = JSON.parse(await readFile(path.join(out, 'result.json'), 'utf8')) as RunResult;
  t.false(result.complete);
  t.is(result.verdict, 'error');
  t.regex(result.reason, /partial result written \d+ s into the run: the run had not finished \(if nothing replaced this file, the process was killed\)/);
  t.true(workCount(result) >= workCount(before) && workCount(result) > 0, `fixture_work count ${workCount(result)}`);
  t.true(result.series.length > 0, 'per-second series so far');
  // the fixture's own gate and the default gates (iterations, iteration_failed per flow)
  t.deepEqual(result.gates.map((g) => [g.metric, g.ok, typeof g.notEvaluated]), [['fixture_work', false, 'string'], ['iterations', false, 'string'], ['iteration_failed{flow:work}', false, 'string']]);
  t.log(`partial result: fixture_work=${workCount(result)}, ${result.durationMs} ms into the run`);
});

function startNpx(args: readonly string[], env: Record<string, string> = {}) {
  // npx from the repository runs its own bin (bin/mailstorm.js) as a user's `npx mailstorm` does.
  const child = spawn('npx', ['--no-install', 'mailstorm', ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', ...env } });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => { stderr += c.toString(); });
  child.stdout?.resume();
  const killer = setTimeout(() => child.kill('SIGKILL'), 180_000);
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stderr });
    });
  });
  return { child, done };
}

async function nodeUnder(npxPid: number): Promise<{ pid: number; cmd: string }> {
  const node = (await descendants(npxPid)).find((p) => p.cmd.includes('mailstorm.js') || p.cmd.includes('.bin/mailstorm'));
  if (!node) throw new Error(`no mailstorm node process under npx (pid ${npxPid}): ${JSON.stringify(await descendants(npxPid))}`);
  return node;
}

const shells = [
  // The repository's .npmrc (script-shell=bash): bash execs node, so npm's own signal forwarding reaches it.
  { name: "the repository's script shell (bash)", env: {}, notice: /mailstorm: SIGTERM: stopping the run/ },
  // npm's default elsewhere: dash between npm and node, which dies on SIGTERM without passing it on.
  { name: 'sh (dash) as script shell', env: { npm_config_script_shell: '/bin/sh' }, notice: /the command that started mailstorm \(pid \d+\) has exited; as on SIGTERM/ },
];

for (const shell of shells) {
  test.serial(`SIGTERM to the npx parent leaves no mailstorm process, and the exit code agrees with result.json: ${shell.name}`, async (t) => {
    const { dir, scenario, remote } = await fixtureDir(t);
    const out = path.join(dir, 'out');
    const marker = path.join(dir, 'running');
    const { child, done } = startNpx(['run', scenario, ...remote, '--out', out, '--quiet', '--set', 'mode=timed', '--duration', '60s', '--set', `marker=${marker}`], shell.env);
    await waitFor(marker);
    const node = await nodeUnder(child.pid as number);
    t.true(await isRunning(node.pid));
    child.kill('SIGTERM');
    const r = await done;
    const goneAfter = await waitGone(node.pid, 30_000);
    t.not(goneAfter, undefined, `node (pid ${node.pid}) still running 30 s after npx ended: ${node.cmd}`);
    const result = await resultWhen(out, (x) => !/partial result/.test(x.reason), 10_000);
    t.false(result.complete);
    t.regex(result.reason, /interrupted by SIGTERM/);
    t.deepEqual(result.gates.map((g) => g.notEvaluated !== undefined), [true, true, true], 'no gate was evaluated (its own and the two default gates)');
    // npx ends with node's code (bash) or dies of the same signal (dash): 143 either way.
    const observed = r.code ?? (r.signal === 'SIGTERM' ? 143 : -1);
    t.is(observed, exitCodeOf(result), r.stderr);
    t.regex(r.stderr, shell.notice, 'how node learnt of it');
    t.log(`${shell.name}: npx ended ${r.code === null ? `by ${r.signal}` : `with ${r.code}`}; node gone ${goneAfter} ms later`);
  });
}

test.serial('SIGINT to the npx parent alone stops the run and npx exits 130, as result.json says', async (t) => {
  const { dir, scenario, remote } = await fixtureDir(t);
  const out = path.join(dir, 'out');
  const marker = path.join(dir, 'running');
  const { child, done } = startNpx(['run', scenario, ...remote, '--out', out, '--quiet', '--set', 'mode=timed', '--duration', '60s', '--set', `marker=${marker}`]);
  await waitFor(marker);
  const node = await nodeUnder(child.pid as number);
  const started = Date.now();
  child.kill('SIGINT');
  const r = await done;
  t.true(Date.now() - started < 30_000, 'did not wait for the 60 s run');
  t.not(await waitGone(node.pid, 10_000), undefined);
  const result = await resultWhen(out, (x) => !/partial result/.test(x.reason), 10_000);
  t.regex(result.reason, /interrupted by SIGINT/);
  t.is(r.code, exitCodeOf(result), r.stderr);
  t.is(r.code, 130);
});

test('an interrupted run shows its gate as not evaluated in the summary, junit.xml (skipped) and report.md, never ✓', async (t) => {
  const { dir, scenario, remote } = await fixtureDir(t);
  const out = path.join(dir, 'out');
  const marker = path.join(dir, 'running');
  const { child, done } = startCli(['run', scenario, ...remote, '--out', out, '--set', 'mode=timed', '--duration', '60s', '--set', `marker=${marker}`], dir);
  await waitFor(marker);
  await resultWhen(out, (r) => workCount(r) > 0);
  child.kill('SIGINT');
  const r = await done;
  t.is(r.code, 130, r.stderr);
  const gateLine = r.stdout.split('\n').find((l) => l.includes('fixture_work: count>0')) ?? '';
  t.regex(gateLine, /^ {4}– fixture_work: count>0 {2}not evaluated \(observed \d+ so far; the run stopped before the end \(interrupted by SIGINT\)\)$/);
  t.notRegex(r.stdout, /✓ fixture_work/);
  const junit = await readFile(path.join(out, 'junit.xml'), 'utf8');
  t.regex(junit, /<testcase classname="cli-counter" name="fixture_work: count&gt;0" time="0">\n {6}<skipped message="not evaluated: the run stopped before the end \(interrupted by SIGINT\)"\/>/);
  t.regex(junit, /skipped="3"/, "its own gate and the two default gates");
  t.regex(junit, /failures="1"/, 'only the "run completed" case fails');
  const md = await readFile(path.join(out, 'report.md'), 'utf8');
  t.regex(md, /\| fixture_work count>0 \|[^\n]*➖ not evaluated \| Not evaluated: the run stopped before the end/);
});
