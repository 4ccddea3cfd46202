// The paced clock: simulated time follows the wall clock while the harness keeps up, and
// does not jump when the event loop is blocked or the process waits for a CPU; sleeps wake
// at their simulated time and say how far behind the compressed schedule they fired.
import test from 'ava';
import { compressedClock, realSleep } from '../../engine/clock.ts';
import { MetricsRegistry } from '../../engine/metrics/registry.ts';
import { PacedClock, replayBehindMs } from '../../engine/paced-clock.ts';
import { linuxRunQueueWaitNs } from '../../engine/run-queue-wait.ts';

/** Holds the event loop for `ms`, as a starved or busy harness does. */
function blockEventLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) { /* busy */ }
}

// The two tests that really block the event loop run alone, so neither stalls the other.
test.serial('a blocked event loop does not make simulated time jump; the unpaced clock does', async (t) => {
  const factor = 1000;
  const paced = new PacedClock(factor, { origin: 0, maxStepMs: 50 });
  const unpaced = compressedClock(factor, 0);
  t.teardown(() => paced.stop());
  await realSleep(30);
  const pacedBefore = paced.now();
  const unpacedBefore = unpaced.now();
  const wallBefore = performance.now();
  blockEventLoop(800);
  await realSleep(30); // let a tick see the stall
  const wallMs = performance.now() - wallBefore;
  const pacedMs = (paced.now() - pacedBefore) / factor;
  const unpacedMs = (unpaced.now() - unpacedBefore) / factor;
  t.true(wallMs >= 800, `${wallMs} wall ms passed`);
  t.true(unpacedMs >= 800, `the unpaced clock credited all ${unpacedMs} ms`);
  // One tick's cap for the stall, plus the 30 ms after it (and timer slack).
  t.true(pacedMs < 50 + wallMs - 800 + 60, `the paced clock credited ${pacedMs} of ${wallMs} wall ms`);
  t.true(paced.behindMs() >= 700, `behind its schedule by ${paced.behindMs()} ms`);
  t.true(replayBehindMs(paced) >= 700, 'replayBehindMs reads a paced clock');
  t.is(replayBehindMs(unpaced), 0, 'an unpaced clock never says it is behind');
});

test.serial('a sleep across a stall wakes at its simulated time, late on the wall, and records replay_lag', async (t) => {
  const metrics = new MetricsRegistry({ startedAt: Date.now(), now: () => Date.now() });
  const factor = 10;
  const clock = new PacedClock(factor, { origin: 0, maxStepMs: 50, metrics });
  t.teardown(() => clock.stop());
  const due = clock.now() + 1000; // 100 wall ms at this compression
  const slept = clock.sleep(1000);
  blockEventLoop(800);
  await slept;
  const woke = clock.now();
  t.true(woke >= due - factor / 2, `woke at simulated ${woke}, due ${due}`);
  t.true(woke - due < 1000, `no jump past due: woke ${woke - due} simulated ms after it`);
  t.true(clock.wallElapsedMs() >= 800);
  const lag = metrics.summaries().find((s) => s.name === 'replay_lag');
  t.is(lag?.kind, 'trend');
  t.is(lag?.values['count'], 1, 'one sleep woken, one sample');
  t.true((lag?.values['max'] ?? 0) >= 650, `fired ${lag?.values['max']} wall ms behind the compressed schedule`);
  t.is(metrics.declarations()['replay_lag']?.unit, 'ms');
});

test('time the process waited for a CPU is not credited', async (t) => {
  let wall = 0;
  let waitNs = 0;
  const clock = new PacedClock(100, { origin: 0, wallNow: () => wall, runQueueWaitNs: () => waitNs, maxStepMs: 1000 });
  t.teardown(() => clock.stop());
  wall += 40;
  waitNs += 30e6; // 30 of those 40 ms were spent runnable, waiting for a CPU
  await realSleep(40); // real ticks read the fake wall
  t.is(clock.creditedMs(), 10);
  t.is(clock.now(), 1000);
  t.is(clock.behindMs(), 30);
  t.is(clock.lateByMs(500), 35, 'due at simulated 500 (5 wall ms in): 35 ms late now');
});

test('without a run-queue reading, stalls are still capped per tick', async (t) => {
  let wall = 0;
  const clock = new PacedClock(100, { origin: 0, wallNow: () => wall, runQueueWaitNs: () => undefined, maxStepMs: 50 });
  t.teardown(() => clock.stop());
  wall += 800;
  await realSleep(40);
  t.is(clock.creditedMs(), 50);
  wall += 20;
  await realSleep(40);
  t.is(clock.creditedMs(), 70);
});

test('a clock nobody read stops ticking and credits the idle gap when read again', async (t) => {
  let wall = 0;
  const clock = new PacedClock(100, { origin: 0, wallNow: () => wall, runQueueWaitNs: () => undefined, maxStepMs: 50 });
  t.teardown(() => clock.stop());
  clock.stop();
  wall += 5000;
  t.is(clock.creditedMs(), 5000, 'no ticks watched the gap, so none of it counts as a stall');
});

test('time never runs backwards when a tick credits less than was extrapolated', async (t) => {
  let wall = 0;
  let waitNs = 0;
  const clock = new PacedClock(1, { origin: 0, wallNow: () => wall, runQueueWaitNs: () => waitNs, maxStepMs: 1000, tickMs: 5 });
  t.teardown(() => clock.stop());
  wall += 8;
  const seen = clock.now();
  waitNs += 8e6;
  await realSleep(20);
  t.true(clock.now() >= seen, `${clock.now()} after ${seen}`);
  wall += 20;
  await realSleep(20);
  t.is(clock.now(), 20, 'the true credit (0 + 20) caught up with what was handed out (8)');
});

test('the Linux run-queue reader answers a number or undefined, never throws', (t) => {
  const wait = linuxRunQueueWaitNs();
  t.true(wait === undefined || (Number.isFinite(wait) && wait >= 0), String(wait));
});

test('a factor that is not positive is refused', (t) => {
  t.throws(() => new PacedClock(0), { instanceOf: RangeError, message: /factor must be > 0/ });
});
