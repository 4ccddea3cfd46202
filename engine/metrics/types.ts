// The one metrics sink every part of a run records into (few verbs, k6-like names:
// iterations, dropped_iterations, smtp.send_time, delivery_latency, mail_lost ...).

export type Tags = Readonly<Record<string, string>>;
export type MetricKind = 'counter' | 'rate' | 'gauge' | 'trend';

/**
 * What a metric's numbers are measured in. simulated-ms: milliseconds of the scenario's
 * simulated clock (a compressed week), not of the wall clock; ratio: 0..1.
 */
export type MetricUnit = 'ms' | 's' | 'simulated-ms' | 'bytes' | 'count' | 'ratio';

/**
 * What a metric is about, so a report can show it beside its kin. Rates always sit together
 * and need none; a trend without one is a latency.
 */
export type MetricTopic = 'throughput' | 'errors' | 'latency' | 'queue' | 'lockouts' | 'migration' | 'delivery' | 'harness';

/** What a metric is, said by whoever creates it (as k6's NewMetric(name, type, valueType)). */
export interface MetricDeclaration {
  kind: MetricKind;
  unit: MetricUnit;
  /** A plural noun for report sentences: "submissions" ("2% of submissions failed"). */
  label: string;
  topic?: MetricTopic;
  /**
   * Which way is bad news: 'higher' (the default) for failures, lags and backlogs, 'lower'
   * for successes and throughput. compare reads it to call a change a regression.
   */
  worse?: 'higher' | 'lower';
  /** True when nobody declared it: kind from its first sample, unit 'ms' for trends else 'count'. */
  implicit?: true;
}

export interface MetricsSink {
  /**
   * Says what a metric is before its first sample. Declaring the same name twice with the
   * same kind is fine (the first unit and label stay); another kind is a TypeError.
   */
  declare(name: string, declaration: Omit<MetricDeclaration, 'implicit'>): void;
  /** Adds to a counter (default 1). */
  count(name: string, value?: number, tags?: Tags): void;
  /** Records one pass/fail sample of a rate (e.g. submission success). */
  rate(name: string, ok: boolean, tags?: Tags): void;
  /** Sets a gauge to its current value (queue depth, locked accounts, active VUs). */
  gauge(name: string, value: number, tags?: Tags): void;
  /** Records one sample of a trend, usually milliseconds (latencies). */
  trend(name: string, value: number, tags?: Tags): void;
}

/**
 * End-of-run summary of one metric series (one name + one tag set). `values` uses k6's
 * stat names: counter {count, rate}; rate {rate, passes, fails}; gauge {value, min, max};
 * trend {count, avg, min, med, max, "p(90)", "p(95)", "p(99)"}.
 */
export interface MetricSummary {
  name: string;
  kind: MetricKind;
  tags: Tags;
  values: Record<string, number>;
}

/**
 * One point per second of the run, for charts. `t` is whole seconds since the run started.
 * counter: value = increment in that second; gauge: value = last value set;
 * rate: value = fraction passing in that second, count = samples;
 * trend: value = avg, with count, p50, p95, p99, max.
 */
export interface SeriesPoint {
  t: number;
  value: number;
  count?: number;
  p50?: number;
  p95?: number;
  p99?: number;
  max?: number;
}

export interface SeriesLine {
  metric: string;
  kind: MetricKind;
  tags: Tags;
  points: SeriesPoint[];
  /** Set when the series hit its point cap: seconds from here on were not kept. */
  truncatedAt?: number;
}

/**
 * The merged view of every series of one metric whose tags include a filter, as a threshold
 * sees it. `stat` takes k6 stat names (count, rate, value, avg, min, max, med, p(N), passes,
 * fails) and answers undefined when the stat does not apply to `kind` or there are no samples.
 */
export interface MetricView {
  kind: MetricKind;
  /** Number of samples recorded (for a counter: number of count() calls). */
  samples: number;
  /** Number of series (tag sets) merged into this view. */
  seriesCount: number;
  stat(name: string): number | undefined;
}
