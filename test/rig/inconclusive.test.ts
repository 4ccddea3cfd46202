// The rig verdict through the real CLI: an overloaded harness makes a run inconclusive
// (exit 4) instead of failing the stack's gates; a healthy one leaves pass and fail alone.
import test from 'ava';
import path from 'node:path';
import { readFile, writeFile } from 'node:fs/promises';
import { fixtureDir, readJunit, readResult, runCli } from '../cli/helpers.ts';
import type { SuiteResult } from '../../harness/result-schema.ts';

// A 4 s constant-vus run: long enough to be judged (the rig needs a 3 s window).
const TIMED = ['--set', 'mode=timed', '--set', 'duration=4s', '--quiet'];
const LOUD = TIMED.filter((a) => a !== '--quiet');

test('a CPU-share limit of 0 makes a run with a failing gate inconclusive, exit 4, naming the figure', async (t) => {
  const { dir, scenario, remote } = await fixtureDir(t);
  const out = path.join(dir, 'out');
  const r = await runCli(['run', scenario, ...remote, ...LOUD, '--out', out, '--set', 'threshold=count>100000', '--rig-limit', 'harnessCpuShare=0'], dir);
  t.is(r.code, 4, r.stderr);
  const result = await readResult(out);
  t.is(result.verdict, 'inconclusive');
  t.true(result.complete);
  const rig = result.rig!;
  t.true(rig.overloaded);
  t.is(rig.limits.harnessCpuShare, 0);
  t.deepEqual(rig.breaches.map((b) => b.figure), ['harnessCpuShare']);
  t.is(rig.breaches[0]?.observed, rig.figures.harnessCpuShare);
  t.true(rig.figures.harnessCpuShare > 0 && rig.figures.harnessCpuShare < 2);
  t.true(rig.figures.windowMs >= 3000 && rig.figures.windowMs <= result.durationMs, String(rig.figures.windowMs));
  // The gate did fail; it is reported, but not as the stack's failure.
  t.false(result.gates[0]?.ok);
  const junit = await readJunit(out);
  t.regex(junit, /<testsuite name="cli-counter" tests="4" failures="0" errors="2"/);
  t.regex(junit, /<error message="not judged, the harness could not keep up: observed \d+ vs threshold count&gt;100000" type="inconclusive">/);
  t.regex(junit, /name="harness kept up" time="0">\n\s+<error message="CPU used by the harness, share of one core was [\d.]+ \(limit 0\)"/);
  t.regex(r.stdout, /\? INCONCLUSIVE/);
  t.regex(r.stdout, /The harness could not keep up, so the stack was not judged: CPU used by the harness, share of one core was [\d.]+ \(limit 0\)/);
  t.regex(result.command, /--rig-limit harnessCpuShare=0/, 'the reproduce command keeps the limit');
});

test('with the default limits an idle harness keeps up: pass stays pass (exit 0), a failed gate stays fail (exit 1)', async (t) => {
  const { dir, scenario, remote } = await fixtureDir(t);
  const passOut = path.join(dir, 'pass');
  const failOut = path.join(dir, 'fail');
  const [pass, fail] = await Promise.all([
    runCli(['run', scenario, ...remote, ...TIMED, '--out', passOut], dir),
    runCli(['run', scenario, ...remote, ...TIMED, '--out', failOut, '--set', 'threshold=count>100000'], dir),
  ]);
  t.is(pass.code, 0, pass.stderr);
  t.is(fail.code, 1, fail.stderr);
  const result = await readResult(passOut);
  t.is(result.verdict, 'pass');
  const rig = result.rig!;
  t.false(rig.overloaded);
  t.deepEqual(rig.breaches, []);
  t.is(rig.notJudged, undefined);
  t.like(rig.limits, { eventLoopDelayP99Ms: 1000, cpuWaitShare: 0.25, droppedIterations: null });
  // One point a second over the 4 s window, each second numbered from the run's start.
  t.true(rig.series.length >= 3 && rig.series.length <= 6, String(rig.series.length));
  t.deepEqual(rig.series.map((s) => s.t), [...rig.series.map((s) => s.t)].sort((a, b) => a - b));
  t.true(rig.figures.eventLoopDelayMaxMs >= rig.figures.eventLoopDelayP99Ms);
  t.true(rig.figures.eventLoopDelayP99Ms < 1000);
  t.is(rig.figures.droppedIterations, 0);
  t.is(rig.figures.scheduleLagP95Ms, undefined, 'a constant-vus flow has no schedule');
  t.regex(await readJunit(passOut), /<testcase classname="cli-counter" name="harness kept up" time="0"><\/testcase>/);
  t.is((await readResult(failOut)).verdict, 'fail');
  t.regex(await readJunit(failOut), /tests="4" failures="1" errors="0"/);
});

test('compare refuses to call a regression from an inconclusive side, exit 2 naming it', async (t) => {
  const { dir, scenario, remote } = await fixtureDir(t);
  const base = path.join(dir, 'base');
  const cand = path.join(dir, 'cand');
  await Promise.all([
    runCli(['run', scenario, ...remote, ...TIMED, '--out', base], dir),
    runCli(['run', scenario, ...remote, ...TIMED, '--out', cand, '--rig-limit', 'harnessCpuShare=0'], dir),
  ]);
  t.is((await readResult(cand)).verdict, 'inconclusive');
  const r = await runCli(['compare', base, cand, '--out', path.join(dir, 'cmp')], dir);
  t.is(r.code, 2, r.stdout);
  t.regex(r.stderr, /the candidate run of cli-counter \(.+\) is inconclusive: the harness could not keep up \(harnessCpuShare [\d.]+ > 0\)/);
});

test('a suite counts an inconclusive run on its own: verdict inconclusive, exit 4, recap per run', async (t) => {
  const { dir } = await fixtureDir(t);
  const file = path.join(dir, 'mixed.yaml');
  // The count-mode entry ends in milliseconds: too short a window to judge, so it passes.
  await writeFile(file, ['name: mixed', 'entries:', '  - scenario: ./counter.ts', '    set: [iterations=2]', '  - scenario: ./counter.ts', '    set: [mode=timed, duration=4s]', ''].join('\n'));
  const out = path.join(dir, 'suite');
  const r = await runCli(['suite', file, '--out', out, '--quiet', '--rig-limit', 'harnessCpuShare=0'], dir);
  t.is(r.code, 4, r.stderr);
  const suite = JSON.parse(await readFile(path.join(out, 'suite.json'), 'utf8')) as SuiteResult;
  t.is(suite.verdict, 'inconclusive');
  t.deepEqual(suite.runs.map((run) => run.verdict), ['pass', 'inconclusive']);
  const first = await readResult(path.join(out, suite.runs[0]!.dir));
  t.regex(first.rig?.notJudged ?? '', /shorter than 3000 ms/);
  t.regex(r.stdout, /cli-counter\s+inconclusive\s+harness overloaded: harnessCpuShare [\d.]+ > 0/);
  t.regex(r.stdout, /suite mixed: inconclusive \(1 passed, 1 inconclusive of 2\)/);
  t.regex(await readFile(path.join(out, 'junit.xml'), 'utf8'), /<testsuites name="mailstorm suite mixed" tests="\d+" failures="0" errors="1">/);
});

test('a bad --rig-limit is a usage error naming the figure, before anything starts', async (t) => {
  const { dir, scenario, remote } = await fixtureDir(t);
  const unknown = await runCli(['run', scenario, ...remote, '--rig-limit', 'eventLoop=5'], dir);
  t.is(unknown.code, 2);
  t.regex(unknown.stderr, /unknown rig figure "eventLoop"; use one of eventLoopDelayP99Ms, /);
  const negative = await runCli(['run', scenario, ...remote, '--rig-limit', 'gcShare=-1'], dir);
  t.is(negative.code, 2);
  t.regex(negative.stderr, /the limit of gcShare must be a number >= 0/);
});

test('capacity marks steps the harness could not drive inconclusive, not a knee, and exits 4 when that left no knee', async (t) => {
  const { dir } = await fixtureDir(t);
  const out = path.join(dir, 'capacity');
  const r = await runCli(['capacity', 'smoke', '--steps', '5,10', '--duration', '4s', '--rig-limit', 'harnessCpuShare=0', '-q', '--out', out], dir);
  t.is(r.code, 4, r.stdout + r.stderr);
  const capacity = JSON.parse(await readFile(path.join(out, 'capacity.json'), 'utf8')) as { knee: unknown; steps: { level: number; assessment: string; note: string }[] };
  t.is(capacity.knee, null);
  t.deepEqual(capacity.steps.map((s) => [s.level, s.assessment]), [[5, 'inconclusive'], [10, 'inconclusive']]);
  for (const step of capacity.steps) t.regex(step.note, /the harness could not keep up \(harnessCpuShare [\d.]+ > 0.*\); not a knee/);
});
