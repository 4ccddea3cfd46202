import test from 'ava';
import { ManualClock, systemClock } from '../../engine/clock.ts';
import { runExecutors } from '../../engine/executors/index.ts';
import { advance, depsFor, total } from './helpers.ts';

test('constant-arrival-rate at 2,000/s for 10 s starts 20,000 iterations (within 1%)', async (t) => {
  let started = 0;
  const { deps, metrics } = depsFor(systemClock, { noop: async () => { started++; } });
  const handle = runExecutors({
    storm: { executor: 'constant-arrival-rate', exec: 'noop', rate: 2000, timeUnit: '1s', duration: '10s', preAllocatedVUs: 50, maxVUs: 200 },
  }, deps);
  await handle.done;
  t.true(Math.abs(started - 20_000) <= 200, `started ${started}`);
  t.is(total(metrics, 'iterations', { scenario: 'storm', flow: 'noop' }), started, 'every started iteration is counted');
  t.is(handle.activeVUs(), 0);
});

test('ramping-arrival-rate follows its stages', async (t) => {
  const clock = new ManualClock(0);
  const startedAt: number[] = [];
  const { deps, metrics } = depsFor(clock, { f: async () => { startedAt.push(clock.now()); } });
  const handle = runExecutors({
    ramp: {
      executor: 'ramping-arrival-rate', exec: 'f', startRate: 0, timeUnit: '1s', preAllocatedVUs: 5,
      stages: [{ target: 100, duration: '2s' }, { target: 100, duration: '2s' }, { target: 0, duration: '2s' }],
    },
  }, deps);
  await advance(clock, 6100, 10);
  await handle.done;
  const inStage = (from: number, to: number) => startedAt.filter((ms) => ms > from && ms <= to).length;
  // From the schedule: 100, 200 and 100 iterations; a start is seen at the next 10 ms step.
  t.true(Math.abs(inStage(-1, 2000) - 100) <= 2, `stage 1: ${inStage(-1, 2000)}`);
  t.true(Math.abs(inStage(2000, 4000) - 200) <= 2, `stage 2: ${inStage(2000, 4000)}`);
  t.true(Math.abs(inStage(4000, 6010) - 100) <= 2, `stage 3: ${inStage(4000, 6010)}`);
  t.is(startedAt.length, 399);
  // Within the first ramp the rate grows: the second second holds three times the first.
  t.true(Math.abs(inStage(-1, 1000) - 25) <= 2);
  t.is(total(metrics, 'iterations'), 399);
});

test('no free VU and maxVUs reached: iterations are dropped and counted, like k6', async (t) => {
  const clock = new ManualClock(0);
  let started = 0;
  const { deps, metrics } = depsFor(clock, {
    slow: async ({ signal }) => { started++; await clock.sleep(500, signal); },
  });
  const handle = runExecutors({
    s: { executor: 'constant-arrival-rate', exec: 'slow', rate: 20, duration: '1s', preAllocatedVUs: 1, maxVUs: 2, gracefulStop: '1s' },
  }, deps);
  let peak = 0;
  for (let ms = 0; ms < 2000; ms += 10) {
    await advance(clock, 10);
    peak = Math.max(peak, handle.activeVUs());
  }
  await handle.done;
  const dropped = total(metrics, 'dropped_iterations', { scenario: 's' });
  t.true(dropped > 0);
  t.is(started + dropped, 20);
  t.is(started, 4, 'two VUs, each busy 500 ms, over one second');
  t.is(peak, 2, 'VUs beyond preAllocatedVUs are allocated up to maxVUs');
  t.is(total(metrics, 'iterations'), 4);
});

test('the schedule counts from the run start plus startTime: a late wake-up starts the backlog at once', async (t) => {
  const clock = new ManualClock(0);
  const startedAt: number[] = [];
  const { deps, metrics } = depsFor(clock, { f: async () => { startedAt.push(clock.now()); } });
  const handle = runExecutors({
    late: { executor: 'constant-arrival-rate', exec: 'f', rate: 10, duration: '1s', startTime: '1s', preAllocatedVUs: 20 },
  }, deps);
  // The startTime sleep ends 400 ms late (a stalled harness): iterations due at 1.0-1.4 s are behind.
  await advance(clock, 1400, 1400);
  t.deepEqual(startedAt, [1400, 1400, 1400, 1400, 1400], 'the five due at 1.0, 1.1, 1.2, 1.3 and 1.4 s start at once');
  await advance(clock, 700, 10);
  await handle.done;
  t.is(startedAt.length, 10, 'ten over the second from 1 s to 2 s, not shifted by the late wake-up');
  t.true(startedAt.slice(5).every((ms, i) => ms === 1500 + i * 100), `then on schedule: ${startedAt.slice(5).join(', ')}`);
  const lag = metrics.query('schedule_lag', { scenario: 'late' });
  t.is(lag?.stat('max'), 400, 'the first one started 400 ms behind its due time');
});
