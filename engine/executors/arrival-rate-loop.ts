// The shared start loop of both arrival-rate executors.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ArrivalSchedule } from './arrival-schedule.ts';
import type { ScenarioRuntime } from './scenario-runtime.ts';
import { VuPool } from './vu-pool.ts';

/** Starts in one go before giving the event loop a turn (a backlog after a stall). */
const BATCH = 256;

/**
 * Starts every iteration that is due on each wake-up, then sleeps until the next one is due.
 * An iteration with no free VU and maxVUs reached is dropped and counted, like k6.
 * Returns when the schedule's duration is over (or on stop()).
 */
export async function runArrivalRate(rt: ScenarioRuntime, schedule: ArrivalSchedule, preAllocatedVUs: number, maxVUs: number): Promise<void> {
  const { clock, metrics } = rt.deps;
  const pool = new VuPool(rt, preAllocatedVUs, Math.max(maxVUs, preAllocatedVUs));
  const droppedTags = Object.freeze({ scenario: rt.name });
  const start = clock.now();
  let n = 0;
  let due = schedule.timeOf(0);
  while (!rt.ending && due < schedule.durationMs) {
    const elapsed = clock.now() - start;
    let batch = 0;
    let started = 0;
    while (due <= elapsed && due < schedule.durationMs && batch < BATCH) {
      const vu = pool.acquire();
      // VUs of iterations that already finished are only released once the event loop
      // turns: yield before calling an iteration dropped, so a backlog after a stall is
      // not dropped for want of VUs that are in fact free.
      if (vu === undefined && started > 0) break;
      if (vu === undefined) {
        metrics.count('dropped_iterations', 1, droppedTags);
      } else {
        rt.start(vu, n, pool);
        started++;
      }
      n++;
      batch++;
      due = schedule.timeOf(n);
    }
    const wait = due - (clock.now() - start);
    if (wait <= 0 || !Number.isFinite(wait)) await nextTurn();
    else if (!(await rt.sleep(Math.min(wait, schedule.durationMs - (clock.now() - start))))) return;
  }
  // Nothing more to start, but the executor lasts its whole duration (gracefulStop counts from its end).
  const rest = schedule.durationMs - (clock.now() - start);
  if (!rt.ending && rest > 0) await rt.sleep(rest);
}
