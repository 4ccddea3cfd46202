// The in-memory metrics sink of one run: tagged series with HDR histograms for trends,
// per-second points for charts, and merged views for thresholds.
import { newAccumulator } from './accumulators.ts';
import { Series, type PointBudget } from './series.ts';
import { accumulatorFromWire, type WireRecord } from './wire.ts';
import type { MetricDeclaration, MetricKind, MetricSummary, MetricView, MetricsSink, SeriesLine, Tags } from './types.ts';

export interface MetricsRegistryOptions {
  /** Epoch ms the run started; per-second points count whole seconds from here. */
  startedAt: number;
  now?: () => number;
  /**
   * Distinct tag sets kept per metric. A flow that tags by message id or account would
   * otherwise grow memory without bound; further tag sets are folded into one series
   * tagged `{overflow: "true"}` (still counted in totals, no longer by their own tags).
   */
  maxTagSetsPerMetric?: number;
  /**
   * Per-second points kept per series (default 6 h). A run of days keeps its totals and
   * histograms exact; its charts stop at the cap and the line says where (`truncatedAt`).
   */
  maxPointsPerSeries?: number;
  /**
   * Per-second points kept over all series together (default 2 million, some 150 MB):
   * many tag sets times a long run would otherwise multiply past any machine's memory.
   */
  maxPointsTotal?: number;
}

export const OVERFLOW_TAGS: Tags = Object.freeze({ overflow: 'true' });

interface Metric {
  kind: MetricKind;
  declaration: MetricDeclaration;
  series: Map<string, Series>;
}

// Engine code passes one frozen tag object for every sample of a scenario; caching the key
// of frozen objects by identity keeps thousands of records per second cheap (a mutable
// object could change under the cache, so it is keyed afresh each time).
const keyCache = new WeakMap<Tags, string>();

function tagKey(tags: Tags): string {
  let key = keyCache.get(tags);
  if (key === undefined) {
    key = Object.keys(tags).sort().map((k) => `${k}\u0000${tags[k]}`).join('\u0001');
    if (Object.isFrozen(tags)) keyCache.set(tags, key);
  }
  return key;
}

function includes(tags: Tags, filter: Tags): boolean {
  for (const [k, v] of Object.entries(filter)) if (tags[k] !== v) return false;
  return true;
}

export class MetricsRegistry implements MetricsSink {
  readonly #startedAt: number;
  readonly #now: () => number;
  readonly #maxTagSets: number;
  readonly #maxPoints: number;
  readonly #budget: PointBudget;
  readonly #metrics = new Map<string, Metric>();
  #seq = 0;

  constructor(options: MetricsRegistryOptions) {
    this.#startedAt = options.startedAt;
    this.#now = options.now ?? Date.now;
    this.#maxTagSets = options.maxTagSetsPerMetric ?? 1000;
    this.#maxPoints = options.maxPointsPerSeries ?? 6 * 3600;
    this.#budget = { left: options.maxPointsTotal ?? 2_000_000 };
  }

  declare(name: string, declaration: Omit<MetricDeclaration, 'implicit'>): void {
    const existing = this.#metrics.get(name);
    if (existing && existing.kind !== declaration.kind) {
      throw new TypeError(`metric "${name}" is a ${existing.kind}; cannot declare it as a ${declaration.kind}`);
    }
    if (!existing) {
      this.#metrics.set(name, { kind: declaration.kind, declaration: { ...declaration }, series: new Map() });
    } else if (existing.declaration.implicit) {
      // Declared after its first sample: the declaration still says what it is.
      existing.declaration = { ...declaration };
    }
  }

  /** Every metric's declaration, by name; undeclared ones say `implicit: true`. */
  declarations(): Record<string, MetricDeclaration> {
    const out: Record<string, MetricDeclaration> = {};
    for (const name of this.names()) out[name] = { ...this.#metrics.get(name)!.declaration };
    return out;
  }

  count(name: string, value = 1, tags: Tags = {}): void { this.#record(name, 'counter', value, tags); }
  rate(name: string, ok: boolean, tags: Tags = {}): void { this.#record(name, 'rate', ok ? 1 : 0, tags); }
  gauge(name: string, value: number, tags: Tags = {}): void { this.#record(name, 'gauge', value, tags); }
  trend(name: string, value: number, tags: Tags = {}): void { this.#record(name, 'trend', value, tags); }

  names(): string[] {
    return [...this.#metrics.keys()].sort();
  }

  kindOf(name: string): MetricKind | undefined {
    return this.#metrics.get(name)?.kind;
  }

  summaries(): MetricSummary[] {
    const elapsed = this.#elapsedMs();
    return this.#allSeries().map((s) => ({ name: s.name, kind: s.kind, tags: s.tags, values: s.total.summary(elapsed) }));
  }

  series(): SeriesLine[] {
    return this.#allSeries().map((s) => s.line());
  }

  /** Merges every series of `name` whose tags include `filter`; undefined when none matches. */
  query(name: string, filter: Tags = {}): MetricView | undefined {
    const metric = this.#metrics.get(name);
    if (!metric) return undefined;
    const merged = newAccumulator(metric.kind);
    let seriesCount = 0;
    for (const s of metric.series.values()) {
      if (!includes(s.tags, filter)) continue;
      merged.merge(s.total);
      seriesCount++;
    }
    if (seriesCount === 0) return undefined;
    const elapsed = this.#elapsedMs();
    return { kind: metric.kind, samples: merged.samples, seriesCount, stat: (stat) => merged.stat(stat, elapsed) };
  }

  /**
   * Merges a batch another thread recorded (engine/metrics/wire.ts) into the series of its
   * metric and tags, at the second it was recorded in: totals and per-second points alike.
   */
  absorb(record: WireRecord): void {
    if (record.c === 0) return;
    const seq = this.#seq++;
    this.#seriesFor(record.n, record.k, record.t).absorb(accumulatorFromWire(record, seq), Math.max(0, record.s));
  }

  #record(name: string, kind: MetricKind, value: number, tags: Tags): void {
    if (!Number.isFinite(value)) return; // NaN/Infinity would poison sums and histograms
    this.#seriesFor(name, kind, tags).add(value, this.#seq++, Math.max(0, Math.floor(this.#elapsedMs() / 1000)));
  }

  #seriesFor(name: string, kind: MetricKind, tags: Tags): Series {
    let metric = this.#metrics.get(name);
    if (!metric) {
      const implicit: MetricDeclaration = { kind, unit: kind === 'trend' ? 'ms' : 'count', label: name, implicit: true };
      metric = { kind, declaration: implicit, series: new Map() };
      this.#metrics.set(name, metric);
    } else if (metric.kind !== kind) {
      throw new TypeError(`metric "${name}" is a ${metric.kind}; cannot record it as a ${kind}`);
    }
    let key = tagKey(tags);
    let series = metric.series.get(key);
    if (!series) {
      if (metric.series.size >= this.#maxTagSets) {
        tags = OVERFLOW_TAGS;
        key = tagKey(tags);
        series = metric.series.get(key);
      }
      if (!series) {
        series = new Series(name, kind, { ...tags }, this.#maxPoints, this.#budget);
        metric.series.set(key, series);
      }
    }
    return series;
  }

  #elapsedMs(): number {
    return Math.max(0, this.#now() - this.#startedAt);
  }

  #allSeries(): Series[] {
    return [...this.#metrics.values()].flatMap((m) => [...m.series.values()]);
  }
}
