import test from 'ava';
import { ManualClock } from '../../engine/clock.ts';
import { runExecutors } from '../../engine/executors/index.ts';
import { advance, depsFor, total } from './helpers.ts';

test('a VU interrupted on ramp-down starts its next iteration with a signal that is not aborted', async (t) => {
  const clock = new ManualClock(0);
  const starts: { vu: number; aborted: boolean }[] = [];
  const { deps, metrics } = depsFor(clock, {
    f: async ({ vu, signal }) => {
      starts.push({ vu, aborted: signal.aborted });
      await clock.sleep(10_000, signal);
    },
  });
  const handle = runExecutors({
    s: { executor: 'ramping-vus', exec: 'f', startVUs: 1, gracefulRampDown: '0s', gracefulStop: '0s',
      stages: [{ target: 1, duration: '1s' }, { target: 0, duration: '0s' }, { target: 0, duration: '1s' },
        { target: 1, duration: '0s' }, { target: 1, duration: '1s' }] },
  }, deps);
  await advance(clock, 3500);
  await handle.done;
  t.true(starts.length >= 2, 'the VU came back after its ramp-down');
  t.is(new Set(starts.map((s) => s.vu)).size, 1, 'the same VU both times');
  t.deepEqual(starts.filter((s) => s.aborted), [], 'no iteration starts already aborted');
  t.is(total(metrics, 'interrupted_iterations'), starts.length);
});

test('arrival-rate: iterations that finish leave their VU signal usable; stop() aborts only those in flight', async (t) => {
  const clock = new ManualClock(0);
  const signals: AbortSignal[] = [];
  let calls = 0;
  const { deps, metrics } = depsFor(clock, {
    f: async ({ signal }) => {
      signals.push(signal);
      // Every other iteration outlives the run and must be cut by stop().
      if (calls++ % 2 === 1) await clock.sleep(60_000, signal);
    },
  });
  const handle = runExecutors({ s: { executor: 'constant-arrival-rate', exec: 'f', rate: 10, duration: '10m', preAllocatedVUs: 2, maxVUs: 20 } }, deps);
  await advance(clock, 950);
  t.true(signals.every((s) => !s.aborted));
  handle.stop('SIGINT');
  await handle.done;
  t.is(signals.length, 10);
  t.is(total(metrics, 'interrupted_iterations'), 5);
  t.is(total(metrics, 'iterations'), 5);
  t.is(new Set(signals.filter((s) => s.aborted)).size, 5, 'one aborted signal per interrupted iteration');
});
