// What the exported script records so `mailstorm import k6` can merge N runners exactly.
//
// k6 VUs share no memory and handleSummary runs in a runtime of its own, so a histogram kept
// in a script variable would be empty there. Instead every mergeable series is itself made of
// k6 metrics, declared at init, which k6 sums across a runner's VUs into its summary data:
// a counter series is one Counter, a rate one Rate (passes/fails), and a trend series is a
// log-linear histogram: one Counter per bucket (relative error HISTOGRAM.relativeError), a
// Counter of the sum and a Gauge for the exact min and max. Only buckets that saw a sample
// appear in k6's summary, so the file stays small.

export type TrackedKind = 'counter' | 'rate' | 'trend';

/** One mergeable series: a metric of one flow, and the k6 metric name(s) that carry it. */
export interface TrackedSeries {
  metric: string;
  flow: string;
  kind: TrackedKind;
  /** k6 metric name; a trend's parts are `${k6}_b<i>`, `_bn<i>` (negative i), `_lo`, `_hi`, `_sum`, `_mm` */
  k6: string;
}

/**
 * Buckets cover [low, high) ms; bucket i holds (gamma^(i-1), gamma^i] with
 * gamma = (1+e)/(1-e), and stands for 2·gamma^i/(gamma+1): within e of every value in it.
 * Below `low` (lo) and from `high` (hi) one bucket each, stood for by the exact min and max.
 */
export const HISTOGRAM = { kind: 'log-linear', relativeError: 0.01, low: 0.1, high: 1e7 } as const;

export interface HistogramSpec { relativeError: number; low: number; high: number }

export function logGamma(spec: HistogramSpec): number {
  return Math.log((1 + spec.relativeError) / (1 - spec.relativeError));
}

export function indexRange(spec: HistogramSpec): { min: number; max: number } {
  const g = logGamma(spec);
  return { min: Math.ceil(Math.log(spec.low) / g), max: Math.ceil(Math.log(spec.high) / g) };
}

/** The value a bucket stands for (its relative-error midpoint). */
export function bucketValue(index: number, spec: HistogramSpec): number {
  const gamma = Math.exp(logGamma(spec));
  return (2 * gamma ** index) / (gamma + 1);
}

export function bucketName(k6: string, index: number): string {
  return `${k6}_b${index < 0 ? `n${-index}` : index}`;
}

/** k6 (v1) wants Prometheus-like metric names: letters, digits and underscores. */
export function k6NameOf(metric: string, flow: string): string {
  return `mailstorm_${metric}_${flow}`.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 100);
}

/** The series the script's flows record, by dialogue kind. */
export function trackedSeries(flows: Record<string, { kind: string }>): TrackedSeries[] {
  const out: TrackedSeries[] = [];
  const add = (metric: string, flow: string, kind: TrackedKind) => out.push({ metric, flow, kind, k6: k6NameOf(metric, flow) });
  for (const [flow, f] of Object.entries(flows)) {
    add('iterations', flow, 'counter');
    add('iteration_duration', flow, 'trend');
    if (f.kind === 'smtp') {
      add('k6_smtp_sent', flow, 'counter');
      add('k6_smtp_failed', flow, 'counter');
      add('k6_smtp_time', flow, 'trend');
    } else if (f.kind === 'imap-login') {
      add('k6_imap_login_ok', flow, 'rate');
      add('k6_imap_login_time', flow, 'trend');
    } else if (f.kind === 'activesync') {
      add('k6_activesync_answers', flow, 'counter');
      add('http_reqs', flow, 'counter');
      add('http_req_failed', flow, 'rate');
      add('http_req_duration', flow, 'trend');
    }
  }
  return out;
}

/** The recorder's source inside script.ts (plain k6 API; valid for es2017 after esbuild). */
export function recorderSource(): string {
  const { min, max } = indexRange(HISTOGRAM);
  return `
// mailstorm's mergeable record (see mailstorm's k6/mergeable.ts): k6 metrics, because VUs share
// no memory; \`mailstorm import k6\` merges them across runners, bucket by bucket.
interface Sink { add(value: number): void }
const LOG_GAMMA = Math.log((1 + MAILSTORM.histogram.relativeError) / (1 - MAILSTORM.histogram.relativeError));
class MergeableTrend implements Sink {
  private readonly buckets: Record<string, Counter> = {};
  private readonly lo: Counter;
  private readonly hi: Counter;
  private readonly sum: Counter;
  private readonly minMax: Gauge;
  constructor(base: string) {
    for (let i = ${min}; i <= ${max}; i++) this.buckets[String(i)] = new Counter(base + '_b' + (i < 0 ? 'n' + -i : i));
    this.lo = new Counter(base + '_lo');
    this.hi = new Counter(base + '_hi');
    this.sum = new Counter(base + '_sum');
    this.minMax = new Gauge(base + '_mm');
  }
  add(value: number): void {
    this.sum.add(value);
    this.minMax.add(value);
    if (value < MAILSTORM.histogram.low) this.lo.add(1);
    else if (value >= MAILSTORM.histogram.high) this.hi.add(1);
    else (this.buckets[String(Math.ceil(Math.log(value) / LOG_GAMMA))] as Counter).add(1);
  }
}
const TRACKED: Record<string, Sink> = {};
for (const s of MAILSTORM.tracked) TRACKED[s.metric + '|' + s.flow] = s.kind === 'trend' ? new MergeableTrend(s.k6) : s.kind === 'rate' ? new Rate(s.k6) : new Counter(s.k6);
function track(metric: string, flow: string, value: number): void {
  const sink = TRACKED[metric + '|' + flow];
  if (sink !== undefined) sink.add(value);
}
async function iteration(flow: string, body: () => Promise<void>): Promise<void> {
  const started = Date.now();
  try {
    await body();
  } finally {
    track('iterations', flow, 1);
    track('iteration_duration', flow, Date.now() - started);
  }
}
`;
}
