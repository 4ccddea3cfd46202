// `mailstorm capacity` as a user runs it, against an embedded MTA whose delivery capacity is
// known: the knee it reports must sit within 10 % of that capacity, and capacity.json,
// capacity.html and capacity.md must say the same.
import test from 'ava';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../cli/helpers.ts';
import { DELIVERY_CAPACITY } from '../capacity/fixtures/known-capacity.ts';
import type { CapacityResult } from '../../capacity/types.ts';

const FIXTURE = path.join(import.meta.dirname, '..', 'capacity', 'fixtures', 'known-capacity.ts');

test('the knee search finds an MTA\'s known delivery capacity within 10 %', async (t) => {
  const out = await mkdtemp(path.join(os.tmpdir(), 'mailstorm-capacity-'));
  t.teardown(() => rm(out, { recursive: true, force: true }));
  const run = await runCli(['capacity', FIXTURE, '--out', out], process.cwd());
  t.is(run.code, 0, run.stderr);
  const result = JSON.parse(await readFile(path.join(out, 'capacity.json'), 'utf8')) as CapacityResult;
  t.truthy(result.knee, 'a knee');
  const knee = result.knee!;
  t.true(Math.abs(knee.level - DELIVERY_CAPACITY) <= 0.1 * DELIVERY_CAPACITY, `knee at ${knee.level}, capacity ${DELIVERY_CAPACITY}`);
  t.true(Math.abs(knee.achieved - knee.level) <= 0.05 * knee.level, `achieved ${knee.achieved} at the knee`);
  // The step past the knee broke because the MTA could not deliver faster than its capacity.
  t.truthy(knee.brokenBy);
  const past = result.steps.find((s) => s.level === knee.brokenBy!.level)!;
  t.true(past.achieved <= DELIVERY_CAPACITY * 1.02, `achieved ${past.achieved}/s past the knee`);
  t.not(past.assessment, 'healthy');
  // Stepping stopped once a step broke and there were enough points for the fit.
  t.true(result.steps.length >= 6 && result.steps.length < 8, `${result.steps.length} steps`);
  t.truthy(result.fit, result.fitNote);
  t.true(result.fit!.sigma >= 0 && result.fit!.kappa >= 0);
  t.true(result.headroom.some((h) => /drains in/.test(h.statement)), 'storm headroom from the measured delivery capacity');
  t.regex(run.stdout, new RegExp(`knee at rate=${knee.level}`));
  const html = await readFile(path.join(out, 'capacity.html'), 'utf8');
  t.regex(html, new RegExp(`Knee at ${knee.level} messages/s`));
  const md = await readFile(path.join(out, 'capacity.md'), 'utf8');
  t.regex(md, new RegExp(`Knee: ${knee.level} messages/s`));
  for (const step of result.steps) t.true((await readFile(path.join(out, step.dir, 'result.json'), 'utf8')).length > 0, `${step.dir} kept its run`);

  // compare: the same run is no regression; a candidate whose knee held 30 % less is one.
  const same = await runCli(['compare', out, out, '--out', out], process.cwd());
  t.is(same.code, 0, same.stdout + same.stderr);
  const worse = path.join(out, 'worse');
  const degraded: CapacityResult = { ...result, knee: { ...knee, achieved: knee.achieved * 0.7 } };
  await mkdir(worse);
  await writeFile(path.join(worse, 'capacity.json'), JSON.stringify(degraded));
  const regressed = await runCli(['compare', out, worse, '--out', worse], process.cwd());
  t.is(regressed.code, 1, regressed.stdout + regressed.stderr);
  t.regex(regressed.stdout, /regression: throughput at the knee .* \(-30\.0 %/);
  const mixed = await runCli(['compare', out, path.join(out, result.steps[0]!.dir)], process.cwd());
  t.is(mixed.code, 2);
  t.regex(mixed.stderr, /not a capacity run/);
});

test('capacity refuses a scenario that declares no capacity, and bad steps, before anything runs', async (t) => {
  const noCapacity = await runCli(['capacity', 'mass-lockout'], process.cwd());
  t.is(noCapacity.code, 2);
  t.regex(noCapacity.stderr, /declares no capacity/);
  const falling = await runCli(['capacity', 'smoke', '--steps', '40,20'], process.cwd());
  t.is(falling.code, 2);
  t.regex(falling.stderr, /--steps must rise/);
  const badSlo = await runCli(['capacity', 'smoke', '--slo', 'p(99)<<3'], process.cwd());
  t.is(badSlo.code, 2);
  t.regex(badSlo.stderr, /p\(99\)<<3/);
});
