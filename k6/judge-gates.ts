// The scenario's gates judged once, on the merged runners, by mailstorm's own evaluator.
// A gate the runners' data cannot answer is `notEvaluated` with why, never a guess.
import type { Tags } from '../engine/metrics/types.ts';
import type { MetricView } from '../engine/metrics/types.ts';
import { evaluateThreshold, parseThresholds, type MetricQuery, type ParsedThreshold } from '../engine/thresholds/index.ts';
import type { GateResult } from '../engine/thresholds/types.ts';
import type { Threshold } from '../engine/options/types.ts';
import type { MergedMetrics } from './merged-metrics.ts';
import { isLedgerMetric } from '../engine/ledger/metric-declarations.ts';
import type { RunnerSummary } from './runner-summary.ts';


export const LEDGER_NOT_JUDGED = 'a ledger figure: it needs the sink\'s arrivals, which k6 runners cannot see and `mailstorm fakes up` does not save; the ledger is not reconciled by `import k6`, so this gate is not judged';

/**
 * A metric k6 recorded itself (dropped_iterations, checks, data_sent ...) from the runners'
 * own summary data: counters and rates add up exactly; a trend or gauge only from one runner.
 */
function k6View(runners: readonly RunnerSummary[], t: ParsedThreshold, durationMs: number): MetricView | string | undefined {
  const key = Object.keys(t.filter).length === 0 ? t.name : t.metric;
  const found = runners.map((r) => r.k6.metrics[key]).filter((m) => m !== undefined);
  if (found.length === 0) return undefined;
  const type = found[0]!.type;
  const v = (stat: string) => found.reduce((a, m) => a + (m.values[stat] ?? 0), 0);
  if (type === 'counter') {
    const count = v('count');
    return { kind: 'counter', samples: count, seriesCount: 1, stat: (s) => (s === 'count' ? count : s === 'rate' ? (durationMs > 0 ? count / (durationMs / 1000) : 0) : undefined) };
  }
  if (type === 'rate') {
    const passes = v('passes'), fails = v('fails');
    return { kind: 'rate', samples: passes + fails, seriesCount: 1, stat: (s) => (s === 'passes' ? passes : s === 'fails' ? fails : s === 'rate' ? (passes + fails > 0 ? passes / (passes + fails) : undefined) : undefined) };
  }
  if (runners.length > 1) return `k6 summarised ${key} (a ${type}) per runner; ${runners.length} runners' ${type === 'trend' ? 'percentiles' : 'gauge values'} cannot be merged exactly, and the script does not record it mergeably`;
  const only = found[0]!;
  return { kind: type, samples: only.values['count'] ?? 1, seriesCount: 1, stat: (s) => only.values[s] ?? undefined };
}

export function judgeGates(runners: readonly RunnerSummary[], merged: MergedMetrics, durationMs: number): GateResult[] {
  const first = runners[0]!;
  const parsed = parseThresholds(first.mailstorm.gates as Record<string, Threshold[]>);
  const judgedAfter = new Set(first.mailstorm.judgedAfter);
  return parsed.map((t) => {
    const notJudged = (why: string): GateResult => {
      const r: GateResult = { metric: t.metric, expression: t.expression, observed: null, ok: false, notEvaluated: why, abortOnFail: t.abortOnFail };
      if (t.description !== undefined) r.description = t.description;
      return r;
    };
    if (isLedgerMetric(t.name) && !merged.has(t.name)) return notJudged(LEDGER_NOT_JUDGED);
    if (judgedAfter.has(t.name)) return notJudged(`a figure mailstorm computes from the stack's state during its own run of "${first.mailstorm.scenario}"; k6 runners cannot see it, so this gate is not judged`);
    let query: MetricQuery;
    if (merged.has(t.name)) {
      const other = Object.keys(t.filter).filter((k) => k !== 'flow');
      if (other.length > 0) return notJudged(`the runners record ${t.name} by flow only; the tag filter {${other.join(', ')}} cannot be judged`);
      query = merged;
    } else {
      const view = k6View(runners, t, durationMs);
      if (typeof view === 'string') return notJudged(view);
      query = { query: (_name: string, _filter: Tags) => view };
    }
    return evaluateThreshold(t, query, { final: true });
  });
}

/** What each runner's own k6 thresholds said, for the notes: N verdicts, none of them the test's. */
export function runnerVerdicts(runners: readonly RunnerSummary[], label: (r: RunnerSummary) => string): string[] {
  const out: string[] = [];
  for (const r of runners) {
    const failed: string[] = [];
    for (const [name, m] of Object.entries(r.k6.metrics)) for (const [expr, th] of Object.entries(m.thresholds ?? {})) if (!th.ok) failed.push(`${name} ${expr}`);
    out.push(`runner ${label(r)}, judged alone by k6: ${failed.length === 0 ? 'no threshold failed' : `failed ${failed.join(', ')}`} (not the verdict: the gates are judged on the merged runners)`);
  }
  return out;
}
