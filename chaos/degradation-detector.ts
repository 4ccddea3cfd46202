// Trend alarm over a per-second series (delivery latency, error rate): raises
// `degradation_detected` once, when the recent window has clearly left the baseline.
//
// Method (documented defaults in DEFAULTS):
// - The last `windowSec` samples form the recent window. A sample leaving the window is
//   folded into an EWMA baseline (mean and variance, alpha = 2 / (baselineSec + 1)), so the
//   baseline lags the window and a slow ramp cannot drag the baseline up with it.
// - After `warmupSec` samples have entered the baseline, each second compares the window
//   median (robust to isolated spikes) with
//     threshold = baseline + max(k * sd / sqrt(windowSec), minRelativeIncrease * baseline, minAbsoluteIncrease).
//   The first term is the noise of a window average, the others stop a quiet series from
//   alarming on tiny moves (give error rates, whose baseline is often 0, an absolute floor).
// - The alarm fires after `confirmSec` consecutive seconds above threshold (one spike is not
//   a trend). Evidence: baseline, window median, threshold, and the least-squares slope of the
//   window (units per second), which tells a ramp (slope > 0) from a step.
import type { EventLog } from '../engine/events.ts';

export interface DegradationDetectorOptions {
  /** Name of the series in the event, e.g. "delivery_latency" or "error_rate". */
  series: string;
  windowSec?: number;
  baselineSec?: number;
  warmupSec?: number;
  k?: number;
  minRelativeIncrease?: number;
  minAbsoluteIncrease?: number;
  confirmSec?: number;
  events?: EventLog;
  onDetected?: (detection: Detection) => void;
}

export interface Detection {
  series: string;
  /** second of the sample that confirmed the alarm */
  tSec: number;
  baseline: number;
  recent: number;
  threshold: number;
  slopePerSec: number;
  windowSec: number;
}

export const DEFAULTS = {
  windowSec: 30,
  baselineSec: 120,
  warmupSec: 30,
  k: 4,
  minRelativeIncrease: 0.25,
  minAbsoluteIncrease: 0,
  confirmSec: 5,
} as const;

type Settings = Required<Omit<DegradationDetectorOptions, 'events' | 'onDetected'>>;

export class DegradationDetector {
  readonly #o: Settings;
  readonly #window: { t: number; v: number }[] = [];
  #mean = 0;
  #variance = 0;
  #baselineCount = 0;
  #above = 0;
  #detection: Detection | undefined;

  constructor(private readonly options: DegradationDetectorOptions) {
    this.#o = { ...DEFAULTS, ...stripUndefined(options) } as Settings;
  }

  get detection(): Detection | undefined {
    return this.#detection;
  }

  /** Feeds one sample (non-finite values are skipped); returns the detection the first time it fires. */
  observe(tSec: number, value: number): Detection | undefined {
    if (!Number.isFinite(value) || this.#detection) return undefined;
    this.#window.push({ t: tSec, v: value });
    if (this.#window.length > this.#o.windowSec) this.#fold((this.#window.shift() as { v: number }).v);
    if (this.#baselineCount < this.#o.warmupSec || this.#window.length < this.#o.windowSec) return undefined;
    const recent = median(this.#window.map((x) => x.v));
    const sd = Math.sqrt(this.#variance);
    const threshold = this.#mean + Math.max(
      (this.#o.k * sd) / Math.sqrt(this.#o.windowSec),
      this.#o.minRelativeIncrease * Math.abs(this.#mean),
      this.#o.minAbsoluteIncrease,
    );
    this.#above = recent > threshold ? this.#above + 1 : 0;
    if (this.#above < this.#o.confirmSec) return undefined;
    this.#detection = {
      series: this.#o.series, tSec, baseline: this.#mean, recent, threshold, slopePerSec: slope(this.#window), windowSec: this.#o.windowSec,
    };
    this.options.events?.record('degradation_detected', { ...this.#detection });
    this.options.onDetected?.(this.#detection);
    return this.#detection;
  }

  #fold(value: number): void {
    this.#baselineCount++;
    if (this.#baselineCount === 1) {
      this.#mean = value;
      return;
    }
    // Plain average during warm-up, EWMA after: a fast start without an early-sample bias.
    const alpha = Math.max(2 / (this.#o.baselineSec + 1), 1 / this.#baselineCount);
    const diff = value - this.#mean;
    this.#mean += alpha * diff;
    this.#variance = (1 - alpha) * (this.#variance + alpha * diff * diff);
  }
}

function median(values: number[]): number {
  const sorted = values.sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Least-squares slope of v over t. */
function slope(points: readonly { t: number; v: number }[]): number {
  const n = points.length;
  const mt = points.reduce((s, p) => s + p.t, 0) / n;
  const mv = points.reduce((s, p) => s + p.v, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - mt) * (p.v - mv);
    den += (p.t - mt) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
