// What an executor will do, read from its options alone (nothing runs): how many iterations
// it starts, its peak iteration rate, how many iterations can be in flight at once, and for
// how long. `mailstorm plan` and the remote stack's caps read it; the counts come from the
// same arrival schedules the executors run, so the plan is the load that is sent.
import { parseDuration } from '../duration.ts';
import type { ExecutorConfig } from '../options/types.ts';
import { executorDurationMs } from '../options/validate.ts';
import { constantSchedule, rampingSchedule, type ArrivalSchedule } from './arrival-schedule.ts';

export interface ExecutorLoad {
  /** iterations the executor starts; undefined for closed loops bounded only by time (constant-vus, ramping-vus) */
  iterations: number | undefined;
  /** highest iterations per second; undefined when the executor does not pace (closed loops) */
  peakIterationsPerSec: number | undefined;
  /** iterations in flight at once, at most (maxVUs, vus, the highest stage target) */
  peakConcurrency: number;
  /** ms from the executor's start to its end of starting iterations (without gracefulStop) */
  durationMs: number;
  /** ms after the run's start the executor begins */
  startMs: number;
}

/** Iterations an arrival schedule starts: the first n whose due time is at or after its end. */
function scheduledCount(schedule: ArrivalSchedule, upper: number): number {
  let lo = 0;
  let hi = Math.max(1, Math.ceil(upper) + 2);
  while (schedule.timeOf(hi) < schedule.durationMs) hi *= 2;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (schedule.timeOf(mid) < schedule.durationMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function executorLoad(config: ExecutorConfig): ExecutorLoad {
  const durationMs = executorDurationMs(config);
  const startMs = config.startTime === undefined ? 0 : parseDuration(config.startTime);
  switch (config.executor) {
    case 'constant-arrival-rate': {
      const unit = parseDuration(config.timeUnit ?? '1s');
      const schedule = constantSchedule(config.rate, unit, durationMs);
      return { iterations: scheduledCount(schedule, (config.rate * durationMs) / unit), peakIterationsPerSec: (config.rate * 1000) / unit, peakConcurrency: config.maxVUs ?? config.preAllocatedVUs, durationMs, startMs };
    }
    case 'ramping-arrival-rate': {
      const unit = parseDuration(config.timeUnit ?? '1s');
      const start = config.startRate ?? 0;
      const schedule = rampingSchedule(start, unit, config.stages);
      let integral = 0;
      let previous = start;
      for (const s of config.stages) {
        integral += ((previous + s.target) / 2) * (parseDuration(s.duration) / unit);
        previous = s.target;
      }
      const peak = Math.max(start, ...config.stages.map((s) => s.target));
      return { iterations: scheduledCount(schedule, integral), peakIterationsPerSec: (peak * 1000) / unit, peakConcurrency: config.maxVUs ?? config.preAllocatedVUs, durationMs, startMs };
    }
    case 'constant-vus':
      return { iterations: undefined, peakIterationsPerSec: undefined, peakConcurrency: config.vus, durationMs, startMs };
    case 'ramping-vus':
      return { iterations: undefined, peakIterationsPerSec: undefined, peakConcurrency: Math.max(config.startVUs ?? 1, ...config.stages.map((s) => s.target)), durationMs, startMs };
    case 'per-vu-iterations':
      return { iterations: config.vus * config.iterations, peakIterationsPerSec: undefined, peakConcurrency: config.vus, durationMs, startMs };
    case 'shared-iterations':
      return { iterations: config.iterations, peakIterationsPerSec: undefined, peakConcurrency: Math.min(config.vus, config.iterations), durationMs, startMs };
  }
}
