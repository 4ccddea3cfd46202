import test from 'ava';
import { ManualClock } from '../../engine/clock.ts';
import { runExecutors } from '../../engine/executors/index.ts';
import type { IterationContext } from '../../engine/executors/index.ts';
import { advance, depsFor, total } from './helpers.ts';

function sleeper(clock: ManualClock, ms: number, seen: IterationContext[] = []) {
  return async (it: IterationContext) => { seen.push(it); await clock.sleep(ms, it.signal); };
}

test('constant-vus: each VU loops for the duration', async (t) => {
  const clock = new ManualClock(0);
  const seen: IterationContext[] = [];
  const { deps, metrics } = depsFor(clock, { f: sleeper(clock, 100, seen) });
  const handle = runExecutors({ s: { executor: 'constant-vus', exec: 'f', vus: 2, duration: '1s' } }, deps);
  await advance(clock, 50);
  t.is(handle.activeVUs(), 2);
  await advance(clock, 1100);
  await handle.done;
  t.is(total(metrics, 'iterations', { scenario: 's', flow: 'f' }), 20);
  t.deepEqual([...new Set(seen.map((i) => i.vu))].sort(), [1, 2]);
  t.deepEqual(seen.filter((i) => i.vu === 1).map((i) => i.iteration), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  t.is(metrics.query('iteration_duration', { scenario: 's' })?.stat('avg'), 100);
  t.is(handle.activeVUs(), 0);
});

test('per-vu-iterations: every VU runs exactly its iterations', async (t) => {
  const clock = new ManualClock(0);
  const seen: IterationContext[] = [];
  const { deps, metrics } = depsFor(clock, { f: sleeper(clock, 30, seen) });
  const handle = runExecutors({ s: { executor: 'per-vu-iterations', exec: 'f', vus: 3, iterations: 4 } }, deps);
  await advance(clock, 300);
  await handle.done;
  t.is(total(metrics, 'iterations'), 12);
  for (const vu of [1, 2, 3]) t.is(seen.filter((i) => i.vu === vu).length, 4);
});

test('shared-iterations: VUs share the iterations, each index once', async (t) => {
  const clock = new ManualClock(0);
  const seen: IterationContext[] = [];
  const { deps, metrics } = depsFor(clock, { f: sleeper(clock, 30, seen) });
  const handle = runExecutors({ s: { executor: 'shared-iterations', exec: 'f', vus: 3, iterations: 10 } }, deps);
  await advance(clock, 300);
  await handle.done;
  t.is(total(metrics, 'iterations'), 10);
  t.deepEqual(seen.map((i) => i.iteration).sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('iteration executors stop at maxDuration', async (t) => {
  const clock = new ManualClock(0);
  const { deps, metrics } = depsFor(clock, { f: sleeper(clock, 100) });
  const handle = runExecutors({ s: { executor: 'shared-iterations', exec: 'f', vus: 1, iterations: 1000, maxDuration: '1s', gracefulStop: '0s' } }, deps);
  await advance(clock, 1100);
  await handle.done;
  t.is(total(metrics, 'iterations'), 10);
});

test('ramping-vus: VUs follow the stages and ramp down after their iteration', async (t) => {
  const clock = new ManualClock(0);
  const { deps, metrics } = depsFor(clock, { f: sleeper(clock, 50) });
  const handle = runExecutors({
    s: { executor: 'ramping-vus', exec: 'f', startVUs: 0, stages: [{ target: 4, duration: '4s' }, { target: 4, duration: '1s' }, { target: 0, duration: '4s' }] },
  }, deps);
  const at: Record<number, number> = {};
  for (let ms = 0; ms < 9500; ms += 250) {
    await advance(clock, 250);
    at[clock.now()] = handle.activeVUs();
  }
  await handle.done;
  t.is(at[500], 0);
  t.is(at[1500], 1);
  t.is(at[2500], 2);
  t.is(at[4500], 4);
  t.is(at[6500], 3); // 4 -> 0 over 4 s: 2.5 VUs wanted, rounded toward the previous target
  t.is(at[7750], 2);
  t.is(at[9500], 0);
  t.is(total(metrics, 'interrupted_iterations'), 0);
  t.true(total(metrics, 'iterations') > 0);
});

test('ramping-vus: a VU ramped down mid-iteration is interrupted after gracefulRampDown', async (t) => {
  const clock = new ManualClock(0);
  const aborted: boolean[] = [];
  const { deps, metrics } = depsFor(clock, {
    f: async ({ signal }) => {
      try { await clock.sleep(10_000, signal); } catch (error) { aborted.push(signal.aborted); throw error; }
    },
  });
  const handle = runExecutors({
    s: { executor: 'ramping-vus', exec: 'f', startVUs: 2, gracefulRampDown: '1s', gracefulStop: '0s',
      stages: [{ target: 2, duration: '1s' }, { target: 1, duration: '0s' }, { target: 1, duration: '3s' }] },
  }, deps);
  await advance(clock, 1500);
  t.is(handle.activeVUs(), 2, 'still finishing within gracefulRampDown');
  await advance(clock, 600);
  t.is(handle.activeVUs(), 1);
  t.is(total(metrics, 'interrupted_iterations'), 1);
  t.deepEqual(aborted, [true]);
  await advance(clock, 2000);
  await handle.done;
  t.is(total(metrics, 'interrupted_iterations'), 2, 'the last one is cut at the end (gracefulStop 0s)');
  t.is(total(metrics, 'iterations'), 0);
});
