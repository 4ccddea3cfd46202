// One accumulator per metric kind. The same classes hold a series' whole-run totals,
// its current one-second bucket, and the merged view a threshold queries.
import { TrendHistogram } from './trend-histogram.ts';
import type { MetricKind, SeriesPoint } from './types.ts';

/** Trend samples are usually milliseconds; the histogram stores integer microseconds so sub-ms values keep 3 digits. */
const UNITS_PER_MS = 1000;

export interface Accumulator {
  readonly kind: MetricKind;
  /** Number of samples (for a counter: number of count() calls). */
  readonly samples: number;
  /** `seq` orders gauge writes across series so a merged gauge knows which value is the latest. */
  add(value: number, seq: number): void;
  merge(other: Accumulator): void;
  /** k6 stat by name; undefined when the stat is not defined for this kind or there are no samples. */
  stat(name: string, elapsedMs: number): number | undefined;
  point(t: number): SeriesPoint;
  summary(elapsedMs: number): Record<string, number>;
  reset(): void;
}

export class CounterAcc implements Accumulator {
  readonly kind = 'counter';
  samples = 0;
  sum = 0;
  add(value: number): void { this.samples++; this.sum += value; }
  merge(o: Accumulator): void { const c = o as CounterAcc; this.samples += c.samples; this.sum += c.sum; }
  stat(name: string, elapsedMs: number): number | undefined {
    // A counter's count is meaningful with zero samples (nothing happened = 0).
    if (name === 'count') return this.sum;
    if (name === 'rate') return elapsedMs > 0 ? this.sum / (elapsedMs / 1000) : 0;
    return undefined;
  }
  point(t: number): SeriesPoint { return { t, value: this.sum }; }
  summary(elapsedMs: number): Record<string, number> { return { count: this.sum, rate: this.stat('rate', elapsedMs) ?? 0 }; }
  reset(): void { this.samples = 0; this.sum = 0; }
}

export class RateAcc implements Accumulator {
  readonly kind = 'rate';
  samples = 0;
  passes = 0;
  add(value: number): void { this.samples++; if (value) this.passes++; }
  merge(o: Accumulator): void { const r = o as RateAcc; this.samples += r.samples; this.passes += r.passes; }
  stat(name: string): number | undefined {
    if (name === 'passes') return this.passes;
    if (name === 'fails') return this.samples - this.passes;
    if (name === 'rate') return this.samples > 0 ? this.passes / this.samples : undefined;
    return undefined;
  }
  point(t: number): SeriesPoint { return { t, value: this.samples ? this.passes / this.samples : 0, count: this.samples }; }
  summary(): Record<string, number> {
    return { rate: this.stat('rate') ?? 0, passes: this.passes, fails: this.samples - this.passes };
  }
  reset(): void { this.samples = 0; this.passes = 0; }
}

export class GaugeAcc implements Accumulator {
  readonly kind = 'gauge';
  samples = 0;
  last = 0;
  lastSeq = -1;
  min = Infinity;
  max = -Infinity;
  add(value: number, seq: number): void {
    this.samples++;
    if (seq >= this.lastSeq) { this.last = value; this.lastSeq = seq; }
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }
  merge(o: Accumulator): void {
    const g = o as GaugeAcc;
    if (g.samples === 0) return;
    this.samples += g.samples;
    if (g.lastSeq >= this.lastSeq) { this.last = g.last; this.lastSeq = g.lastSeq; }
    this.min = Math.min(this.min, g.min);
    this.max = Math.max(this.max, g.max);
  }
  stat(name: string): number | undefined {
    if (this.samples === 0) return undefined;
    if (name === 'value') return this.last;
    if (name === 'min') return this.min;
    if (name === 'max') return this.max;
    return undefined;
  }
  point(t: number): SeriesPoint { return { t, value: this.last }; }
  summary(): Record<string, number> {
    return this.samples ? { value: this.last, min: this.min, max: this.max } : { value: 0, min: 0, max: 0 };
  }
  reset(): void { this.samples = 0; this.last = 0; this.lastSeq = -1; this.min = Infinity; this.max = -Infinity; }
}

/** Parses "p(99.9)" into 99.9; undefined for anything else. */
export function percentileOf(stat: string): number | undefined {
  const m = /^p\(\s*(\d+(?:\.\d+)?)\s*\)$/.exec(stat);
  if (!m) return undefined;
  const p = Number(m[1]);
  return p >= 0 && p <= 100 ? p : undefined;
}

export class TrendAcc implements Accumulator {
  readonly kind = 'trend';
  samples = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  readonly #hist = new TrendHistogram();

  add(value: number): void {
    this.samples++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    this.#hist.record(Math.max(0, Math.round(value * UNITS_PER_MS)));
  }
  merge(o: Accumulator): void {
    const t = o as TrendAcc;
    if (t.samples === 0) return;
    this.samples += t.samples;
    this.sum += t.sum;
    this.min = Math.min(this.min, t.min);
    this.max = Math.max(this.max, t.max);
    this.#hist.add(t.#hist);
  }
  percentile(p: number): number {
    if (p >= 100) return this.max;
    if (p <= 0) return this.min;
    // The histogram returns a bucket's upper edge; clamp into the exact observed range.
    const v = this.#hist.valueAtPercentile(p) / UNITS_PER_MS;
    return Math.min(this.max, Math.max(this.min, v));
  }
  stat(name: string): number | undefined {
    if (name === 'count') return this.samples;
    if (this.samples === 0) return undefined;
    if (name === 'avg') return this.sum / this.samples;
    if (name === 'min') return this.min;
    if (name === 'max') return this.max;
    if (name === 'med') return this.percentile(50);
    const p = percentileOf(name);
    return p === undefined ? undefined : this.percentile(p);
  }
  point(t: number): SeriesPoint {
    if (this.samples === 0) return { t, value: 0, count: 0 };
    return {
      t, value: this.sum / this.samples, count: this.samples,
      p50: this.percentile(50), p95: this.percentile(95), p99: this.percentile(99), max: this.max,
    };
  }
  summary(): Record<string, number> {
    if (this.samples === 0) return { count: 0, avg: 0, min: 0, med: 0, max: 0, 'p(90)': 0, 'p(95)': 0, 'p(99)': 0 };
    return {
      count: this.samples, avg: this.sum / this.samples, min: this.min, med: this.percentile(50), max: this.max,
      'p(90)': this.percentile(90), 'p(95)': this.percentile(95), 'p(99)': this.percentile(99),
    };
  }
  reset(): void { this.samples = 0; this.sum = 0; this.min = Infinity; this.max = -Infinity; this.#hist.reset(); }
  /**
   * The HDR histogram's non-empty buckets as [value, count, value, count, ...]: what a worker
   * thread sends to be merged. A value is its bucket's highest equivalent value, so recording
   * it again fills the very same bucket (exact, and far cheaper than the compressed encoding).
   */
  bucketCounts(): number[] {
    return this.#hist.bucketCounts();
  }
  /** Adds another thread's samples: their exact count, sum, min and max and bucketCounts(). */
  mergeCounts(samples: number, sum: number, min: number, max: number, counts: readonly number[]): void {
    if (samples === 0) return;
    this.samples += samples;
    this.sum += sum;
    this.min = Math.min(this.min, min);
    this.max = Math.max(this.max, max);
    for (let i = 0; i + 1 < counts.length; i += 2) this.#hist.record(counts[i] as number, counts[i + 1] as number);
  }
}

export function newAccumulator(kind: MetricKind): Accumulator {
  switch (kind) {
    case 'counter': return new CounterAcc();
    case 'rate': return new RateAcc();
    case 'gauge': return new GaugeAcc();
    case 'trend': return new TrendAcc();
  }
}

/** Stats a threshold may use for each kind (k6's names; `count` also allowed on trends). */
export function isStatValidFor(kind: MetricKind, stat: string): boolean {
  switch (kind) {
    case 'counter': return stat === 'count' || stat === 'rate';
    case 'rate': return stat === 'rate' || stat === 'passes' || stat === 'fails';
    case 'gauge': return stat === 'value' || stat === 'min' || stat === 'max';
    case 'trend': return ['count', 'avg', 'min', 'max', 'med'].includes(stat) || percentileOf(stat) !== undefined;
  }
}

export const STATS_BY_KIND: Record<MetricKind, string> = {
  counter: 'count, rate',
  rate: 'rate, passes, fails',
  gauge: 'value, min, max',
  trend: 'count, avg, min, max, med, p(N)',
};
