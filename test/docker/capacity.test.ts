// `mailstorm capacity user-day` on real Postfix and Dovecot, in small steps: every step states
// offered and achieved throughput, latency and what the containers, the harness and the
// machine used; the run names its knee (or why there is none, by the rule) and its USL fit
// (or why not). The rig limits stay as they are: a step the harness could not drive must be
// inconclusive, never counted as the stack breaking.
import test from 'ava';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { imagesReady, leftovers } from './helpers.ts';
import { KNEE_RULE } from '../../capacity/knee.ts';
import type { CapacityResult } from '../../capacity/types.ts';
import type { RunResult } from '../../harness/result-schema.ts';
import { userDayParams } from '../../scenarios/user-day/params.ts';
import { plannedTasks } from '../../scenarios/user-day/plan.ts';

const CLI = fileURLToPath(new URL('../../bin/mailstorm.js', import.meta.url));
// Six steps of 10 s each: enough points for the fit, about 3 minutes on this machine.
const STEPS = [1, 2, 3, 4, 5, 6];
const DURATION = '10s';
const CPUS = (await readFile('/proc/stat', 'utf8')).split('\n').filter((l) => /^cpu\d+ /.test(l)).length;

test.before(async () => {
  await imagesReady();
});

test.after.always('no container or network labelled mailstorm is left', async (t) => {
  t.deepEqual(await leftovers(), []);
});

test('capacity user-day on docker: steps with offered, achieved, latency and resource notes, a knee or why not, a fit or why not', async (t) => {
  t.timeout(10 * 60_000);
  const out = await mkdtemp(join(tmpdir(), 'mailstorm-docker-capacity-'));
  const started = performance.now();
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'capacity', 'user-day', '--stack', 'docker', '--steps', STEPS.join(','), '--set', `duration=${DURATION}`, '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('error', reject);
    child.on('close', (c) => resolve({ code: c, stderr: err }));
  });
  const wallSeconds = (performance.now() - started) / 1000;
  const r = JSON.parse(await readFile(join(out, 'capacity.json'), 'utf8')) as CapacityResult;
  t.log(`wall time ${wallSeconds.toFixed(0)} s, exit ${code}`);
  for (const s of r.steps) t.log(`users=${s.level}: offered ${s.offered.toFixed(1)}/s achieved ${s.achieved.toFixed(1)}/s p99 ${s.latency.p99} ms -> ${s.assessment}; ${s.resources?.note}`);
  t.log(r.knee ? `knee ${r.knee.level} users (${r.knee.achieved.toFixed(1)}/s)` : r.kneeNote);
  t.log(r.fit ? `fit σ ${r.fit.sigma} κ ${r.fit.kappa} λ ${r.fit.lambda} R² ${r.fit.r2}` : r.fitNote);

  t.is(r.stack, 'docker');
  t.is(r.param, 'users');
  t.deepEqual(r.steps.map((s) => s.level), STEPS, 'every step ran: fewer than six cannot be fitted');
  for (const step of r.steps) {
    // offered = the user-day plan's tasks over the compressed day, exactly
    t.is(step.offered, plannedTasks(userDayParams.parse({ users: step.level, duration: DURATION })) / 10, `offered at ${step.level} users`);
    t.true(step.achieved > 0, `users=${step.level}: some tasks achieved`);
    t.true(step.latency.p99 !== null && step.latency.p99 > 0, `users=${step.level}: a task p99`);
    // Resource notes: the MTA container's CPU and memory, the machine's cores, what saturated.
    const resources = step.resources;
    t.truthy(resources, `users=${step.level}: resource notes`);
    const mta = resources!.containers.find((c) => c.name === 'mta');
    t.true(mta !== undefined && mta.cpuCoresMean > 0 && (mta.memoryMbMax ?? 0) > 1, `users=${step.level}: mta CPU and memory measured (${JSON.stringify(mta)})`);
    t.is(resources!.cores, CPUS);
    t.regex(resources!.note, /^(the machine's CPU saturated|no CPU limit reached): machine [\d.]+ of \d+ cores busy/);
    if (step.assessment === 'inconclusive') t.regex(step.note, /the harness could not keep up \((eventLoopDelayP99Ms|cpuWaitShare|harnessCpuShare|gcShare|scheduleLagP95Ms|replayLagP95Ms|harnessResourceErrors)/);

    const run = JSON.parse(await readFile(join(out, step.dir, 'result.json'), 'utf8')) as RunResult;
    t.true((run.loadStartedMs ?? 0) > 1000, `users=${step.level}: the load began after the containers started (${run.loadStartedMs} ms)`);
    // Dovecot's limits that refused user-day's logins before (measured at 10 users): 100
    // login processes (greeting timeouts) and 10 sessions per user and address.
    const dovecot = await readFile(join(out, step.dir, 'logs', 'mta.log'), 'utf8');
    t.false(/process_limit \(\d+\) reached/.test(dovecot), `users=${step.level}: login process limit reached`);
    t.false(/Maximum number of connections from user\+IP/.test(dovecot), `users=${step.level}: per-user connection limit reached`);
    if (step.assessment !== 'inconclusive') t.false(run.errors.some((e) => e.kind === 'GREETING_TIMEOUT'), `users=${step.level}: greeting timeouts on a rig that kept up`);
  }

  const judged = r.steps.filter((s) => s.assessment !== 'inconclusive' && s.assessment !== 'broken');
  if (r.knee) {
    t.is(code, 0, stderr);
    t.is(r.knee.rule, KNEE_RULE);
    const kneeStep = r.steps.find((s) => s.level === r.knee!.level)!;
    t.is(kneeStep.assessment, 'healthy');
    t.is(r.knee.achieved, kneeStep.achieved);
    for (const level of r.knee.undrivenAbove ?? []) t.is(r.steps.find((s) => s.level === level)!.assessment, 'inconclusive', `users=${level} above the knee`);
    if (r.knee.brokenBy) t.not(r.steps.find((s) => s.level === r.knee!.brokenBy!.level)!.assessment, 'healthy');
    t.deepEqual(r.headroom.map((h) => h.incident), ['reply-all storm, Nov 2016', 'weekend migration, 2004 and 2009', 'mass lockouts, 2009 migration']);
    t.regex(r.headroom[0]!.statement, /drains in .* at this stack's delivery capacity of [\d.]+ deliveries\/s/);
  } else {
    // No knee, by the rule: either no judged step was healthy, or the harness could not drive them.
    const undriven = r.steps.some((s) => s.assessment === 'inconclusive');
    t.is(code, undriven ? 4 : 1, stderr);
    t.regex(r.kneeNote ?? '', /^no knee: /);
    if (undriven) t.regex(r.kneeNote ?? '', /the harness could not keep up at \d+ of 6 steps/);
  }
  if (judged.length >= 6) {
    t.truthy(r.fit, r.fitNote);
    t.true(r.fit!.sigma >= 0 && r.fit!.kappa >= 0 && r.fit!.points === judged.length);
  } else {
    t.is(r.fit, null);
    t.is(r.fitNote, `not fitted: a Universal Scalability Law fit needs at least 6 steps the harness could drive, this run has ${judged.length}`);
  }
  const md = await readFile(join(out, 'capacity.md'), 'utf8');
  t.regex(md, /Resources per step/);
  t.regex(md, /- 1 users: (the machine's CPU saturated|no CPU limit reached)/);
});
