// Regression rules for `mailstorm compare`, settable by the user.
import { InputError } from '../../engine/errors.ts';

export interface RegressionRules {
  /** A latency percentile is a regression when worse by more than this fraction (0.1 = 10%). */
  latencyTolerance: number;
  /**
   * ...and by more than this many ms, so noise on tiny latencies (3 ms -> 4 ms on loopback)
   * does not fail a pipeline. Default 10 ms: no user notices less.
   */
  latencyMinDeltaMs: number;
  /**
   * A rate is a regression when worse by more than this many percentage points
   * (0.1 = a success rate may fall from 99.95% to 99.85%).
   */
  rateTolerancePoints: number;
  /** New lost messages allowed before it is a regression (default 0: any new loss fails). */
  lostTolerance: number;
  /** Metric names (with or without tags) left out of the comparison. */
  ignore: string[];
}

export const DEFAULT_RULES: RegressionRules = {
  latencyTolerance: 0.1,
  latencyMinDeltaMs: 10,
  rateTolerancePoints: 0.1,
  lostTolerance: 0,
  ignore: [],
};

function nonNegative(text: string, flag: string, allowed: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) throw new InputError(`${flag}: "${text}" is not ${allowed}`);
  return value;
}

/** "10%" or "10" mean ten percent. */
export function parseLatencyTolerance(text: string): number {
  return nonNegative(text.trim().replace(/%$/, ''), '--latency-tolerance', 'a percentage such as 10% or 2.5') / 100;
}

/** "0.1", "0.1pp" or "0.1%" all mean 0.1 percentage points. */
export function parseRateTolerance(text: string): number {
  return nonNegative(text.trim().replace(/(pp|%)$/, ''), '--rate-tolerance', 'a number of percentage points such as 0.1');
}

export function parseCount(text: string, flag: string): number {
  const value = nonNegative(text, flag, 'a whole number >= 0');
  if (!Number.isInteger(value)) throw new InputError(`${flag}: "${text}" is not a whole number >= 0`);
  return value;
}

export function describeRules(rules: RegressionRules): string[] {
  return [
    `a latency percentile worse by more than ${Number((rules.latencyTolerance * 100).toFixed(3))}%${rules.latencyMinDeltaMs ? ` and ${rules.latencyMinDeltaMs} ms` : ''}`,
    `a rate worse by more than ${rules.rateTolerancePoints} percentage points`,
    rules.lostTolerance ? `more than ${rules.lostTolerance} new lost messages` : 'any new lost message',
    'any gate that passed and now fails',
    'a run that now breaks (verdict error) or no longer completes',
    ...(rules.ignore.length ? [`ignoring ${rules.ignore.join(', ')}`] : []),
  ];
}
