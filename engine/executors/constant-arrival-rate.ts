import { parseDuration } from '../duration.ts';
import type { ConstantArrivalRate } from '../options/types.ts';
import { constantSchedule } from './arrival-schedule.ts';
import { runArrivalRate } from './arrival-rate-loop.ts';
import type { ScenarioRuntime } from './scenario-runtime.ts';

/** k6 constant-arrival-rate: `rate` iterations per `timeUnit` (default 1s) for `duration`. */
export function runConstantArrivalRate(config: ConstantArrivalRate, rt: ScenarioRuntime): Promise<void> {
  const timeUnit = parseDuration(config.timeUnit ?? '1s');
  const schedule = constantSchedule(config.rate, timeUnit, parseDuration(config.duration));
  return runArrivalRate(rt, schedule, config.preAllocatedVUs, config.maxVUs ?? config.preAllocatedVUs);
}
