// Durations on the hot path: on the system clock, performance.now (monotonic, with
// microseconds); on a simulated or compressed clock, that clock's own time.
import { performance } from 'node:perf_hooks';
import { systemClock, type Clock } from '../clock.ts';

const perfNow = () => performance.now();

/** A "now" in ms for measuring durations with `clock`; only differences of it mean anything. */
export function monotonicNow(clock: Clock): () => number {
  return clock === systemClock ? perfNow : () => clock.now();
}
