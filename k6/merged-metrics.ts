// The runners' mergeable series added together: counters summed, rates' passes and fails
// summed, trends bucket by bucket (never an average of percentiles). Answers thresholds
// through mailstorm's own evaluator (it is a MetricQuery).
import type { MetricView, MetricKind, MetricSummary, Tags } from '../engine/metrics/types.ts';
import { percentileOf } from '../engine/metrics/accumulators.ts';
import type { MetricQuery } from '../engine/thresholds/evaluate.ts';
import { bucketValue, type HistogramSpec, type TrackedKind } from './mergeable.ts';
import type { RunnerSummary } from './runner-summary.ts';

export interface MergedSeries {
  metric: string;
  flow: string;
  kind: TrackedKind;
  /** counter: sum of adds; rate: samples; trend: samples */
  count: number;
  sum: number;
  passes: number;
  min: number;
  max: number;
  lo: number;
  hi: number;
  buckets: Map<number, number>;
}

function empty(metric: string, flow: string, kind: TrackedKind): MergedSeries {
  return { metric, flow, kind, count: 0, sum: 0, passes: 0, min: Infinity, max: -Infinity, lo: 0, hi: 0, buckets: new Map() };
}

function addInto(into: MergedSeries, from: MergedSeries): void {
  into.count += from.count;
  into.sum += from.sum;
  into.passes += from.passes;
  into.min = Math.min(into.min, from.min);
  into.max = Math.max(into.max, from.max);
  into.lo += from.lo;
  into.hi += from.hi;
  for (const [i, n] of from.buckets) into.buckets.set(i, (into.buckets.get(i) ?? 0) + n);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One runner's series, read back out of k6's summary data (a bucket that saw nothing is absent). */
function readSeries(runner: RunnerSummary, s: RunnerSummary['mailstorm']['tracked'][number]): MergedSeries {
  const out = empty(s.metric, s.flow, s.kind);
  const metrics = runner.k6.metrics;
  const value = (name: string, stat: string): number => metrics[name]?.values[stat] ?? 0;
  if (s.kind === 'counter') {
    out.count = out.sum = value(s.k6, 'count');
  } else if (s.kind === 'rate') {
    out.passes = value(s.k6, 'passes');
    out.count = out.passes + value(s.k6, 'fails');
  } else {
    const bucket = new RegExp(`^${escape(s.k6)}_b(n?)(\\d+)$`);
    for (const [name, m] of Object.entries(metrics)) {
      const hit = bucket.exec(name);
      if (!hit) continue;
      const n = m.values['count'] ?? 0;
      if (n > 0) out.buckets.set((hit[1] ? -1 : 1) * Number(hit[2]), n);
    }
    out.lo = value(`${s.k6}_lo`, 'count');
    out.hi = value(`${s.k6}_hi`, 'count');
    out.count = out.lo + out.hi + [...out.buckets.values()].reduce((a, b) => a + b, 0);
    out.sum = value(`${s.k6}_sum`, 'count');
    const mm = metrics[`${s.k6}_mm`];
    if (out.count > 0 && mm) {
      out.min = mm.values['min'] ?? Infinity;
      out.max = mm.values['max'] ?? -Infinity;
    }
  }
  return out;
}

/** Nearest-rank percentile over the buckets: within the histogram's relative error of the true sample. */
export function trendPercentile(s: MergedSeries, p: number, spec: HistogramSpec): number | undefined {
  if (s.count === 0) return undefined;
  if (p <= 0) return s.min;
  if (p >= 100) return s.max;
  const rank = Math.max(1, Math.ceil((p / 100) * s.count));
  let seen = s.lo;
  if (rank <= seen) return s.min;
  for (const i of [...s.buckets.keys()].sort((a, b) => a - b)) {
    seen += s.buckets.get(i)!;
    if (rank <= seen) return Math.min(s.max, Math.max(s.min, bucketValue(i, spec)));
  }
  return s.max;
}

const KIND: Record<TrackedKind, MetricKind> = { counter: 'counter', rate: 'rate', trend: 'trend' };

export class MergedMetrics implements MetricQuery {
  readonly series: MergedSeries[] = [];
  readonly #spec: HistogramSpec;
  readonly #durationMs: number;

  constructor(runners: readonly RunnerSummary[], spec: HistogramSpec, durationMs: number) {
    this.#spec = spec;
    this.#durationMs = durationMs;
    for (const runner of runners) {
      for (const s of runner.mailstorm.tracked) {
        let into = this.series.find((m) => m.metric === s.metric && m.flow === s.flow);
        if (!into) this.series.push((into = empty(s.metric, s.flow, s.kind)));
        addInto(into, readSeries(runner, s));
      }
    }
  }

  has(name: string): boolean {
    return this.series.some((s) => s.metric === name);
  }

  query(name: string, filter: Tags): MetricView | undefined {
    const matching = this.series.filter((s) => s.metric === name && (filter['flow'] === undefined || s.flow === filter['flow']));
    if (matching.length === 0) return undefined;
    const merged = empty(name, filter['flow'] ?? '', matching[0]!.kind);
    for (const s of matching) addInto(merged, s);
    return { kind: KIND[merged.kind], samples: merged.count, seriesCount: matching.length, stat: (stat) => this.#stat(merged, stat) };
  }

  #stat(s: MergedSeries, stat: string): number | undefined {
    if (s.kind === 'counter') {
      if (stat === 'count') return s.sum;
      if (stat === 'rate') return this.#durationMs > 0 ? s.sum / (this.#durationMs / 1000) : 0;
      return undefined;
    }
    if (s.kind === 'rate') {
      if (stat === 'passes') return s.passes;
      if (stat === 'fails') return s.count - s.passes;
      if (stat === 'rate') return s.count > 0 ? s.passes / s.count : undefined;
      return undefined;
    }
    if (stat === 'count') return s.count;
    if (s.count === 0) return undefined;
    if (stat === 'avg') return s.sum / s.count;
    if (stat === 'min') return s.min;
    if (stat === 'max') return s.max;
    if (stat === 'med') return trendPercentile(s, 50, this.#spec);
    const p = percentileOf(stat);
    return p === undefined ? undefined : trendPercentile(s, p, this.#spec);
  }

  summaries(): MetricSummary[] {
    return this.series.map((s) => {
      const stats = s.kind === 'counter' ? ['count', 'rate'] : s.kind === 'rate' ? ['rate', 'passes', 'fails'] : ['count', 'avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'];
      const values: Record<string, number> = {};
      for (const stat of stats) values[stat] = this.#stat(s, stat) ?? 0;
      return { name: s.metric, kind: KIND[s.kind], tags: { flow: s.flow }, values };
    });
  }
}
