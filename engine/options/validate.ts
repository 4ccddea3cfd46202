// Validates k6-shaped `options` before a run: every error names its path and what is allowed.
import type { z } from 'zod';
import { InputError } from '../errors.ts';
import { parseDuration } from '../duration.ts';
import { parseThresholds } from '../thresholds/parse.ts';
import { EXECUTOR_NAMES, EXECUTOR_SCHEMAS, type ExecutorName } from './schema.ts';
import type { ExecutorConfig, Options } from './types.ts';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function issueText(prefix: string, issue: z.core.$ZodIssue): string {
  const path = [prefix, ...issue.path.map(String)].join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((k) => `${path}.${k}: unknown field`).join('; ');
  }
  return `${path}: ${issue.message}`;
}

function validateScenario(name: string, raw: unknown, flowNames: readonly string[]): ExecutorConfig {
  const at = `scenarios.${name}`;
  if (!isObject(raw)) throw new InputError(`${at}: expected an object with an executor`);
  const executor = raw['executor'];
  if (typeof executor !== 'string' || !(EXECUTOR_NAMES as string[]).includes(executor)) {
    throw new InputError(`${at}.executor: ${executor === undefined ? 'required' : `unknown executor "${String(executor)}"`} (allowed: ${EXECUTOR_NAMES.join(', ')})`);
  }
  const parsed = EXECUTOR_SCHEMAS[executor as ExecutorName].safeParse(raw);
  if (!parsed.success) throw new InputError(parsed.error.issues.map((i) => issueText(at, i)).join('; '));
  const config = parsed.data as ExecutorConfig;
  const flow = config.exec ?? name;
  if (!flowNames.includes(flow)) {
    const known = flowNames.length ? flowNames.join(', ') : 'none';
    throw new InputError(config.exec === undefined
      ? `${at}.exec: required, because no flow is named "${name}" (flows: ${known})`
      : `${at}.exec: no flow named "${flow}" (flows: ${known})`);
  }
  if ('maxVUs' in config && config.maxVUs !== undefined && config.maxVUs < config.preAllocatedVUs) {
    throw new InputError(`${at}.maxVUs: must be >= preAllocatedVUs (${config.preAllocatedVUs}), got ${config.maxVUs}`);
  }
  return config;
}

/** Validates options against k6's schema and the scenario's flow names; throws InputError naming the path. */
export function validateOptions(options: unknown, flowNames: readonly string[]): Options {
  if (!isObject(options)) throw new InputError('options: expected an object with scenarios');
  for (const key of Object.keys(options)) {
    if (key !== 'scenarios' && key !== 'thresholds') throw new InputError(`options.${key}: unknown field (allowed: scenarios, thresholds)`);
  }
  const rawScenarios = options['scenarios'];
  if (!isObject(rawScenarios) || Object.keys(rawScenarios).length === 0) {
    throw new InputError('scenarios: expected an object with at least one scenario');
  }
  const scenarios: Record<string, ExecutorConfig> = {};
  for (const [name, raw] of Object.entries(rawScenarios)) scenarios[name] = validateScenario(name, raw, flowNames);
  const result: Options = { scenarios };
  const thresholds = options['thresholds'];
  if (thresholds !== undefined) {
    if (!isObject(thresholds)) throw new InputError('thresholds: expected an object of metric -> list of expressions');
    const checked = thresholds as NonNullable<Options['thresholds']>;
    parseThresholds(checked);
    result.thresholds = checked;
  }
  return result;
}

export const DEFAULT_GRACEFUL_STOP_MS = 30_000;
export const DEFAULT_MAX_DURATION_MS = 600_000;

/** When a scenario stops starting iterations, relative to its own start (before gracefulStop). */
export function executorDurationMs(config: ExecutorConfig): number {
  switch (config.executor) {
    case 'constant-arrival-rate':
    case 'constant-vus':
      return parseDuration(config.duration);
    case 'ramping-arrival-rate':
    case 'ramping-vus':
      return config.stages.reduce((sum, s) => sum + parseDuration(s.duration), 0);
    case 'per-vu-iterations':
    case 'shared-iterations':
      return config.maxDuration === undefined ? DEFAULT_MAX_DURATION_MS : parseDuration(config.maxDuration);
  }
}

/** Longest the run can take: max over scenarios of startTime + duration + gracefulStop. */
export function plannedDurationMs(options: Pick<Options, 'scenarios'>): number {
  let max = 0;
  for (const config of Object.values(options.scenarios)) {
    const start = config.startTime === undefined ? 0 : parseDuration(config.startTime);
    const grace = config.gracefulStop === undefined ? DEFAULT_GRACEFUL_STOP_MS : parseDuration(config.gracefulStop);
    max = Math.max(max, start + executorDurationMs(config) + grace);
  }
  return max;
}
