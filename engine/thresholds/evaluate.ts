// Evaluates parsed thresholds against the metrics registry.
//
// Zero samples: k6 passes a percentile/avg/rate threshold over a metric that saw no samples;
// mailstorm fails it with reason "no samples", because a gate that measured nothing has not
// shown anything. The one exception is `count` and `value` of a metric that was never
// recorded at all: those read as 0, so `mail_lost: ['count==0']` passes when nothing was
// lost even though the counter was never touched (and `count>=10` fails, observed 0).
import type { GateResult } from './types.ts';
import type { MetricView, Tags } from '../metrics/types.ts';
import { isStatValidFor, STATS_BY_KIND } from '../metrics/accumulators.ts';
import type { ParsedThreshold, ThresholdOp } from './parse.ts';

/** What evaluation needs from the registry (MetricsRegistry satisfies it). */
export interface MetricQuery {
  query(name: string, filter: Tags): MetricView | undefined;
}

export interface EvaluateOptions {
  /**
   * true at the end of the run. During the run (false) a gate with no samples yet is not a
   * failure, so an abortOnFail gate cannot stop a run before its metric was ever recorded.
   */
  final: boolean;
}

export function compare(observed: number, op: ThresholdOp, limit: number): boolean {
  switch (op) {
    case '<': return observed < limit;
    case '<=': return observed <= limit;
    case '>': return observed > limit;
    case '>=': return observed >= limit;
    case '==': return observed === limit;
    case '!=': return observed !== limit;
  }
}

export function evaluateThreshold(t: ParsedThreshold, metrics: MetricQuery, options: EvaluateOptions): GateResult {
  const base = { metric: t.metric, expression: t.expression, abortOnFail: t.abortOnFail };
  const result = (observed: number | null, ok: boolean, reason?: string): GateResult => {
    const r: GateResult = { ...base, observed, ok };
    if (reason !== undefined) r.reason = reason;
    if (t.description !== undefined) r.description = t.description;
    return r;
  };
  const view = metrics.query(t.name, t.filter);
  if (!view) {
    if (t.stat === 'count' || t.stat === 'value') return result(0, compare(0, t.op, t.value));
    return options.final ? result(null, false, 'no samples') : result(null, true, 'no samples yet');
  }
  if (!isStatValidFor(view.kind, t.stat)) {
    return result(null, false, `${t.stat} is not a stat of ${view.kind} metric ${t.name} (allowed: ${STATS_BY_KIND[view.kind]})`);
  }
  const observed = view.stat(t.stat);
  if (observed === undefined) {
    return options.final ? result(null, false, 'no samples') : result(null, true, 'no samples yet');
  }
  return result(observed, compare(observed, t.op, t.value));
}

export function evaluateThresholds(parsed: readonly ParsedThreshold[], metrics: MetricQuery, options: EvaluateOptions): GateResult[] {
  return parsed.map((t) => evaluateThreshold(t, metrics, options));
}

/**
 * The first abortOnFail gate failing now, once its delayAbortEval has passed; undefined
 * when the run may go on. Called periodically during the run.
 */
export function checkAborts(parsed: readonly ParsedThreshold[], metrics: MetricQuery, elapsedMs: number): GateResult | undefined {
  for (const t of parsed) {
    if (!t.abortOnFail || elapsedMs < t.delayAbortEvalMs) continue;
    const r = evaluateThreshold(t, metrics, { final: false });
    if (!r.ok) return r;
  }
  return undefined;
}
