// The gates every run gets unless its scenario overrides or switches them off (see
// DefaultGates): a run where nothing ran, or where a flow's iterations mostly threw, must not
// pass on the strength of gates that read only the figures of what did work.
import { InputError } from '../../engine/errors.ts';
import type { Options, Threshold } from '../../engine/options/types.ts';
import type { DefaultGates } from '../scenario/types.ts';

export const DEFAULT_ITERATION_ERRORS = 'rate<0.05';
export const DEFAULT_ITERATIONS = 'count>0';
export const DEFAULT_DELIVERED_AFTER_FAILURE = 'count==0';
const KEYS = ['iterationErrors', 'iterations', 'deliveredAfterFailure'] as const;

/** Checks a scenario's defaultGates value; throws InputError naming the bad field. */
export function validateDefaultGates(value: unknown): false | DefaultGates {
  if (value === undefined) return {};
  if (value === false) return false;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError('defaultGates: expected false or an object {iterationErrors?, iterations?, deliveredAfterFailure?} (each a threshold expression or false)');
  }
  for (const [key, v] of Object.entries(value)) {
    if (!(KEYS as readonly string[]).includes(key)) throw new InputError(`defaultGates.${key}: unknown field (allowed: ${KEYS.join(', ')})`);
    if (v !== false && typeof v !== 'string') throw new InputError(`defaultGates.${key}: expected a threshold expression such as "rate<0.05", or false`);
  }
  return value as DefaultGates;
}

/**
 * options.thresholds with the default gates added where the scenario has none of its own on that
 * key. `faults`: the scenario injects faults (a chaos timeline), so a cut reply is likely.
 */
export function withDefaultGates(options: Options, setting: false | DefaultGates, faults: boolean): Record<string, readonly Threshold[]> {
  const own = options.thresholds ?? {};
  if (setting === false) return own;
  const out: Record<string, readonly Threshold[]> = { ...own };
  const add = (key: string, expression: string, description: string) => {
    if (!(key in own)) out[key] = [{ threshold: expression, description }];
  };
  const iterations = setting.iterations ?? DEFAULT_ITERATIONS;
  if (iterations !== false) add('iterations', iterations, 'default gate: the run did something (iterations ran)');
  const errors = setting.iterationErrors ?? DEFAULT_ITERATION_ERRORS;
  if (errors !== false) {
    const flows = new Set(Object.entries(options.scenarios).map(([name, s]) => s.exec ?? name));
    for (const flow of flows) add(`iteration_failed{flow:${flow}}`, errors, `default gate: share of ${flow} iterations that failed`);
  }
  const afterFailure = setting.deliveredAfterFailure ?? DEFAULT_DELIVERED_AFTER_FAILURE;
  if (faults && afterFailure !== false) {
    add('mail_delivered_after_failure', afterFailure, 'default gate (faults injected): a message whose send the client saw fail was delivered anyway; a retry would duplicate it');
  }
  return out;
}
