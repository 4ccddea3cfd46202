import test from 'ava';
import { constantSchedule, rampingSchedule, vuTargetAt } from '../../engine/executors/index.ts';

function countDue(timeOf: (n: number) => number, from: number, to: number): number {
  let count = 0;
  for (let n = 0; n < 1_000_000; n++) {
    const t = timeOf(n);
    if (t >= to) break;
    if (t >= from) count++;
  }
  return count;
}

test('constant schedule: first at 0, then every timeUnit/rate', (t) => {
  const s = constantSchedule(2000, 1000, 10_000);
  t.is(s.timeOf(0), 0);
  t.is(s.timeOf(1), 0.5);
  t.is(countDue(s.timeOf, 0, s.durationMs), 20_000);
  const perMinute = constantSchedule(30, 60_000, 60_000);
  t.is(perMinute.timeOf(1), 2000);
});

test('ramping schedule follows the integral of a linear rate', (t) => {
  const s = rampingSchedule(0, 1000, [
    { target: 100, duration: '2s' }, // 0 -> 100/s: 100 iterations
    { target: 100, duration: '2s' }, // 200
    { target: 0, duration: '2s' }, // 100
  ]);
  t.is(s.durationMs, 6000);
  t.is(countDue(s.timeOf, 0, 2000), 99); // the 100th is due exactly at 2s
  t.is(countDue(s.timeOf, 2000, 4000), 200);
  t.is(countDue(s.timeOf, 4000, 6000), 100);
  // Quadratic in the ramp: half the first stage's iterations are due by t = 2s / sqrt(2).
  t.true(Math.abs(s.timeOf(49) - 2000 / Math.SQRT2) < 1);
  const withStart = rampingSchedule(10, 1000, [{ target: 10, duration: '10s' }]);
  t.is(withStart.timeOf(0), 0);
  t.is(countDue(withStart.timeOf, 0, 10_000), 100);
  t.is(rampingSchedule(0, 1000, [{ target: 0, duration: '5s' }]).timeOf(0), Infinity);
});

test('vuTargetAt ramps linearly between stage targets', (t) => {
  const stages = [{ target: 4, durationMs: 4000 }, { target: 4, durationMs: 1000 }, { target: 0, durationMs: 4000 }];
  t.deepEqual([0, 999, 1000, 2500, 3999, 4000, 4500, 5000, 5001, 6000, 8999, 9000, 20_000].map((ms) => vuTargetAt(0, stages, ms)),
    [0, 0, 1, 2, 3, 4, 4, 4, 4, 3, 1, 0, 0]);
  t.is(vuTargetAt(2, [{ target: 2, durationMs: 1000 }], 500), 2);
});
