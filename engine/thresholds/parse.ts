// Parses k6 threshold expressions ("p(99)<30000", "rate<0.001", "count==0") and metric
// keys with tag filters ("delivery_latency{flow:background}").
import { InputError } from '../errors.ts';
import { parseDuration } from '../duration.ts';
import type { Threshold } from '../options/types.ts';
import type { Tags } from '../metrics/types.ts';

export type ThresholdOp = '<' | '<=' | '>' | '>=' | '==' | '!=';

export interface ParsedThreshold {
  /** The metric key as written, tag filter included. */
  metric: string;
  /** The metric name without its tag filter. */
  name: string;
  filter: Tags;
  /** The expression as written, trimmed. */
  expression: string;
  /** k6 stat name, normalised: "p(99)", "avg", "count". */
  stat: string;
  op: ThresholdOp;
  value: number;
  abortOnFail: boolean;
  delayAbortEvalMs: number;
  description?: string;
}

const ALLOWED_STATS = 'count, rate, value, passes, fails, avg, min, max, med, p(N)';
const EXPRESSION = /^\s*(count|rate|value|passes|fails|avg|min|max|med|p\(\s*(\d+(?:\.\d+)?)\s*\))\s*(<=|>=|==|!=|<|>)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)\s*$/i;
const METRIC_KEY = /^\s*([A-Za-z_][\w.\-]*)\s*(?:\{([^{}]*)\})?\s*$/;

export function parseMetricKey(key: string): { name: string; filter: Tags } {
  const m = METRIC_KEY.exec(key);
  if (!m) throw new InputError(`thresholds: "${key}" is not a metric name (use name or name{tag:value,tag:value})`);
  const filter: Record<string, string> = {};
  const body = m[2]?.trim();
  if (body) {
    for (const part of body.split(',')) {
      const colon = part.indexOf(':');
      const k = part.slice(0, colon).trim();
      const v = part.slice(colon + 1).trim();
      if (colon < 0 || !k || !v) {
        throw new InputError(`thresholds: tag filter "${part.trim()}" in "${key}" must be tag:value`);
      }
      filter[k] = v;
    }
  }
  return { name: m[1] as string, filter };
}

export function parseExpression(expression: string, where = 'thresholds'): { stat: string; op: ThresholdOp; value: number } {
  const m = EXPRESSION.exec(expression);
  if (!m) {
    throw new InputError(
      `${where}: "${expression}" is not a threshold expression; expected <stat> <op> <number> with stat one of ` +
        `${ALLOWED_STATS} and op one of < <= > >= == != (e.g. "p(99)<30000", "rate<0.001", "count==0")`,
    );
  }
  const percentile = m[2];
  if (percentile !== undefined && Number(percentile) > 100) {
    throw new InputError(`${where}: "${expression}": a percentile must be between 0 and 100`);
  }
  const stat = percentile !== undefined ? `p(${Number(percentile)})` : (m[1] as string).toLowerCase();
  return { stat, op: m[3] as ThresholdOp, value: Number(m[4]) };
}

/** Parses options.thresholds; throws InputError naming the bad key or expression and what is allowed. */
export function parseThresholds(thresholds: Record<string, readonly Threshold[]> | undefined): ParsedThreshold[] {
  const out: ParsedThreshold[] = [];
  for (const [metric, list] of Object.entries(thresholds ?? {})) {
    const { name, filter } = parseMetricKey(metric);
    if (!Array.isArray(list)) throw new InputError(`thresholds.${metric}: expected a list of expressions`);
    list.forEach((entry, i) => {
      const where = `thresholds.${metric}[${i}]`;
      const obj = typeof entry === 'string' ? { threshold: entry } : entry;
      if (typeof obj?.threshold !== 'string') {
        throw new InputError(`${where}: expected a string or {threshold, abortOnFail, delayAbortEval, description}`);
      }
      const parsed = parseExpression(obj.threshold, where);
      const delay = obj.delayAbortEval === undefined ? 0 : parseDuration(obj.delayAbortEval, `${where}.delayAbortEval`);
      const t: ParsedThreshold = {
        metric, name, filter, expression: obj.threshold.trim(), ...parsed,
        abortOnFail: obj.abortOnFail === true, delayAbortEvalMs: delay,
      };
      if (obj.description !== undefined) t.description = obj.description;
      out.push(t);
    });
  }
  return out;
}
