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
  // A segment owns a striped share of the schedule's iterations (k6 interleaves them, so N
  // instances together start at the full rate) and its share of the VUs.
  // Iterations are striped by the segment's share of maxVUs, as k6 does, so a segment with
  // no VU has no iteration to drop (k6: the executor has no work there).
  const max = Math.max(maxVUs, preAllocatedVUs);
  const segment = rt.segment.basedOnValue(max);
  if (segment === undefined) return;
  const pool = new VuPool(rt, rt.segment.scale(preAllocatedVUs), rt.segment.scale(max));
  const droppedTags = Object.freeze({ scenario: rt.name });
  // Due times count from the scenario's origin, so the time it took to get here is lag, not a shift.
  const start = rt.origin;
  let n = 0; // this segment's n-th iteration is the unsplit schedule's segment.globalIndex(n)
  let global = segment.globalIndex(0);
  let due = schedule.timeOf(global);
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
        // How late against its schedule: a starved harness shows here before the stack does.
        metrics.trend('schedule_lag', Math.max(0, elapsed - due), droppedTags);
        rt.start(vu, global, pool);
        started++;
      }
      n++;
      batch++;
      global = segment.globalIndex(n);
      due = schedule.timeOf(global);
    }
    const wait = due - (clock.now() - start);
    if (wait <= 0 || !Number.isFinite(wait)) await nextTurn();
    else if (!(await rt.sleep(Math.min(wait, schedule.durationMs - (clock.now() - start))))) return;
  }
  // Nothing more to start, but the executor lasts its whole duration (gracefulStop counts from its end).
  const rest = schedule.durationMs - (clock.now() - start);
  if (!rt.ending && rest > 0) await rt.sleep(rest);
}
