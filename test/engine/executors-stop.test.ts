import test from 'ava';
import { ManualClock } from '../../engine/clock.ts';
import { runExecutors } from '../../engine/executors/index.ts';
import { advance, depsFor, settle, total } from './helpers.ts';

test('gracefulStop lets a running iteration finish within it', async (t) => {
  const clock = new ManualClock(0);
  const { deps, metrics } = depsFor(clock, { f: async ({ signal }) => { await clock.sleep(1200, signal); } });
  const handle = runExecutors({ s: { executor: 'constant-vus', exec: 'f', vus: 1, duration: '1s', gracefulStop: '500ms' } }, deps);
  await advance(clock, 1300);
  await handle.done;
  t.is(total(metrics, 'iterations'), 1);
  t.is(total(metrics, 'interrupted_iterations'), 0);
});

test('gracefulStop over: long iterations are aborted through their signal and counted as interrupted', async (t) => {
  const clock = new ManualClock(0);
  const reasons: unknown[] = [];
  const { deps, metrics, errors } = depsFor(clock, {
    f: async ({ signal }) => {
      signal.addEventListener('abort', () => reasons.push(signal.reason));
      await clock.sleep(60_000, signal);
    },
  });
  const handle = runExecutors({ s: { executor: 'constant-vus', exec: 'f', vus: 3, duration: '1s', gracefulStop: '500ms' } }, deps);
  let ended = false;
  void handle.done.then(() => { ended = true; });
  await advance(clock, 1400);
  t.false(ended, 'still within gracefulStop');
  await advance(clock, 200);
  t.true(ended);
  t.is(total(metrics, 'interrupted_iterations', { scenario: 's' }), 3);
  t.is(total(metrics, 'iterations'), 0);
  t.is(reasons.length, 3);
  t.deepEqual(errors, [], 'an interruption is not an iteration error');
});

test('stop() ends everything promptly, even a flow that ignores its signal', async (t) => {
  const clock = new ManualClock(0);
  const { deps, metrics } = depsFor(clock, {
    stubborn: () => new Promise<void>(() => {}),
    polite: async ({ signal }) => { await clock.sleep(60_000, signal); },
  });
  const handle = runExecutors({
    a: { executor: 'constant-vus', exec: 'stubborn', vus: 2, duration: '10m' },
    b: { executor: 'constant-arrival-rate', exec: 'polite', rate: 10, duration: '10m', preAllocatedVUs: 20 },
    later: { executor: 'shared-iterations', exec: 'polite', vus: 1, iterations: 5, startTime: '5m' },
  }, deps);
  await advance(clock, 950);
  t.is(handle.activeVUs(), 2 + 10, 'two looping VUs, ten busy arrival-rate VUs');
  handle.stop('SIGINT');
  await handle.done; // without moving the clock
  t.is(handle.activeVUs(), 0);
  t.is(total(metrics, 'interrupted_iterations'), 12);
  t.is(total(metrics, 'iterations', { scenario: 'later' }), 0);
});

test('aborting deps.signal is the same as stop()', async (t) => {
  const clock = new ManualClock(0);
  const controller = new AbortController();
  const { deps, metrics } = depsFor(clock, { f: async ({ signal }) => { await clock.sleep(60_000, signal); } }, controller.signal);
  const handle = runExecutors({ s: { executor: 'constant-vus', exec: 'f', vus: 1, duration: '1h' } }, deps);
  await settle();
  controller.abort(new Error('abortOnFail'));
  await handle.done;
  t.is(total(metrics, 'interrupted_iterations'), 1);
});

test('a failing iteration is counted by kind and never ends the run', async (t) => {
  const clock = new ManualClock(0);
  let n = 0;
  const { deps, metrics, errors } = depsFor(clock, {
    flaky: async () => {
      n++;
      if (n % 3 === 0) throw Object.assign(new Error('Account locked'), { code: 'EAUTH' });
      if (n % 5 === 0) throw new TypeError('bug');
    },
  });
  const handle = runExecutors({ s: { executor: 'shared-iterations', exec: 'flaky', vus: 2, iterations: 15 } }, deps);
  await advance(clock, 100);
  await handle.done;
  t.is(total(metrics, 'iterations'), 15);
  t.is(total(metrics, 'iteration_errors', { kind: 'EAUTH' }), 5);
  t.is(total(metrics, 'iteration_errors', { kind: 'TypeError', scenario: 's', flow: 'flaky' }), 2);
  t.is(errors.length, 7);
  t.like(errors[0], { scenario: 's', flow: 'flaky' });
});

test('startTime delays a scenario', async (t) => {
  const clock = new ManualClock(0);
  const starts: number[] = [];
  const { deps, metrics } = depsFor(clock, { f: async () => { starts.push(clock.now()); } });
  const handle = runExecutors({ s: { executor: 'per-vu-iterations', exec: 'f', vus: 1, iterations: 2, startTime: '2s' } }, deps);
  await advance(clock, 2100, 100);
  await handle.done;
  t.deepEqual(starts, [2000, 2000]);
  t.is(total(metrics, 'iterations'), 2);
});

test('the vus gauge is sampled every second and ends at 0', async (t) => {
  const clock = new ManualClock(0);
  const { deps, metrics } = depsFor(clock, { f: async ({ signal }) => { await clock.sleep(300, signal); } });
  const handle = runExecutors({ s: { executor: 'constant-vus', exec: 'f', vus: 3, duration: '3s' } }, deps);
  await advance(clock, 3500, 50);
  await handle.done;
  const vus = metrics.query('vus', {});
  t.is(vus?.kind, 'gauge');
  t.is(vus?.stat('max'), 3);
  t.is(vus?.stat('value'), 0);
  const line = metrics.series().find((l) => l.metric === 'vus');
  t.deepEqual(line?.points.slice(1, 3).map((p) => p.value), [3, 3]);
});
