// The scenario's own options as k6 reads them: executors unchanged, thresholds without
// mailstorm's `description` (k6 knows threshold, abortOnFail and delayAbortEval only).
import type { ExecutorConfig, Options, Threshold } from '../engine/options/types.ts';

export type K6Threshold = string | { threshold: string; abortOnFail?: boolean; delayAbortEval?: string };

export interface K6Options {
  scenarios: Record<string, ExecutorConfig>;
  thresholds: Record<string, K6Threshold[]>;
}

export function k6Threshold(t: Threshold): K6Threshold {
  if (typeof t === 'string') return t;
  const out: K6Threshold = { threshold: t.threshold };
  if (t.abortOnFail !== undefined) out.abortOnFail = t.abortOnFail;
  if (t.delayAbortEval !== undefined) out.delayAbortEval = t.delayAbortEval;
  return out;
}

/** Keeps only the named k6 scenarios (those whose flow is exported). */
export function k6Options(options: Options, keep: ReadonlySet<string>): K6Options {
  const scenarios: Record<string, ExecutorConfig> = {};
  for (const [name, config] of Object.entries(options.scenarios)) if (keep.has(name)) scenarios[name] = structuredClone(config);
  const thresholds: Record<string, K6Threshold[]> = {};
  for (const [metric, list] of Object.entries(options.thresholds ?? {})) thresholds[metric] = list.map(k6Threshold);
  return { scenarios, thresholds };
}
