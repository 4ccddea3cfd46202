// Everything that can be checked before anything starts: parameters, k6 options,
// thresholds, the chaos timeline, and the time bound of the whole run. Throws InputError.
import type { z } from 'zod';
import { parseDuration } from '../../engine/duration.ts';
import { resolveParams, type ParamOverrides } from '../scenario/params.ts';
import type { ParamsSchema, ScenarioDefinition } from '../scenario/types.ts';
import type { Options } from '../../engine/options/types.ts';
import { executorDurationMs, plannedDurationMs, validateOptions } from '../../engine/options/validate.ts';
import { parseThresholds, type ParsedThreshold } from '../../engine/thresholds/index.ts';
import { validateDefaultGates, withDefaultGates } from './default-gates.ts';
import { validateTimeline } from '../../chaos/validate.ts';
import type { Timeline } from '../../chaos/types.ts';
import type { StackSpec } from '../../stack/types.ts';

export const DEFAULT_DRAIN_MS = 30_000;
const DEFAULT_GRACEFUL_STOP_MS = 30_000;
/** Slack for stack start, setup, finish and teardown on top of the planned phases. */
export const DEFAULT_MARGIN_MS = 120_000;

export interface RunPlan {
  definition: ScenarioDefinition;
  params: z.output<ParamsSchema>;
  scale: number;
  options: Options;
  thresholds: ParsedThreshold[];
  timeline: Timeline;
  spec: StackSpec;
  timeCompression: number;
  /** load length without gracefulStop (for progress) */
  plannedMs: number;
  gracefulStopMs: number;
  drainMs: number;
  /** after this the run is stopped, whatever it is doing */
  maxRunMs: number;
}

export function prepareRun(definition: ScenarioDefinition, overrides: ParamOverrides, marginMs = DEFAULT_MARGIN_MS): RunPlan {
  const { params, scale } = resolveParams(definition, overrides);
  const options = validateOptions(definition.options(params), Object.keys(definition.flows));
  const gates = typeof definition.defaultGates === 'function' ? definition.defaultGates(params) : definition.defaultGates;
  const timeline = definition.chaos?.(params) ?? [];
  const thresholds = parseThresholds(withDefaultGates(options, validateDefaultGates(gates), timeline.length > 0));
  validateTimeline(timeline);
  // Progress shows the load's planned length; the time bound also allows for gracefulStop.
  const plannedMs = Math.max(0, ...Object.values(options.scenarios).map((s) =>
    (s.startTime === undefined ? 0 : parseDuration(s.startTime)) + executorDurationMs(s)));
  const gracefulStopMs = Math.max(
    0,
    ...Object.entries(options.scenarios).map(([name, s]) =>
      s.gracefulStop === undefined ? DEFAULT_GRACEFUL_STOP_MS : parseDuration(s.gracefulStop, `options.scenarios.${name}.gracefulStop`)),
  );
  const drain = definition.drain?.(params);
  const drainMs = drain ? parseDuration(drain.timeout, 'drain.timeout') : DEFAULT_DRAIN_MS;
  const timeCompression = definition.timeCompression?.(params) ?? 1;
  return {
    definition,
    params,
    scale,
    options,
    thresholds,
    timeline,
    spec: definition.stack?.(params) ?? {},
    timeCompression,
    plannedMs,
    gracefulStopMs,
    drainMs,
    maxRunMs: plannedDurationMs(options) + drainMs + marginMs,
  };
}
