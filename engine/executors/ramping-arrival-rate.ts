import { parseDuration } from '../duration.ts';
import type { RampingArrivalRate } from '../options/types.ts';
import { rampingSchedule } from './arrival-schedule.ts';
import { runArrivalRate } from './arrival-rate-loop.ts';
import type { ScenarioRuntime } from './scenario-runtime.ts';

/** k6 ramping-arrival-rate: the rate ramps linearly from startRate through each stage's target. */
export function runRampingArrivalRate(config: RampingArrivalRate, rt: ScenarioRuntime): Promise<void> {
  const timeUnit = parseDuration(config.timeUnit ?? '1s');
  const schedule = rampingSchedule(config.startRate ?? 0, timeUnit, config.stages);
  return runArrivalRate(rt, schedule, config.preAllocatedVUs, config.maxVUs ?? config.preAllocatedVUs);
}
