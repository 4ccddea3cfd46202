// The trend alarm a 2018 operator did not have: every second, the median time the primary
// took to accept a submission goes into the degradation detector; when the recent window
// clearly leaves the learned baseline it records `degradation_detected`.
import { DegradationDetector, type Detection } from '../../chaos/degradation-detector.ts';
import type { EventLog } from '../../engine/events.ts';

/** Samples kept per second at most; beyond this the second's median is taken from these. */
const MAX_SAMPLES_PER_SECOND = 5000;

export interface TrendAlarmOptions {
  events: EventLog;
  /** smallest rise above the baseline (ms) that counts */
  minAbsoluteIncrease: number;
}

/** Window sizes for a run of a minute or two: 8 s window, 10 s warm-up, 3 s to confirm. */
export const ALARM_WINDOW = { windowSec: 8, baselineSec: 30, warmupSec: 10, confirmSec: 3 } as const;

export class SubmissionTrendAlarm {
  readonly #detector: DegradationDetector;
  #bucket: number[] = [];

  constructor(options: TrendAlarmOptions) {
    this.#detector = new DegradationDetector({
      series: 'submission_time_median_ms',
      ...ALARM_WINDOW,
      minAbsoluteIncrease: options.minAbsoluteIncrease,
      events: options.events,
    });
  }

  /** How long one accepted submission took on the primary (ms). */
  sample(ms: number): void {
    if (this.#bucket.length < MAX_SAMPLES_PER_SECOND) this.#bucket.push(ms);
  }

  /**
   * Closes the current second: feeds its median to the detector and returns the median
   * (undefined when nothing was accepted in that second, which the detector skips).
   */
  tick(tSec: number): number | undefined {
    const values = this.#bucket.sort((a, b) => a - b);
    this.#bucket = [];
    if (values.length === 0) return undefined;
    const mid = values.length >> 1;
    const median = values.length % 2 ? (values[mid] as number) : ((values[mid - 1] as number) + (values[mid] as number)) / 2;
    this.#detector.observe(tSec, median);
    return median;
  }

  get detection(): Detection | undefined {
    return this.#detector.detection;
  }
}
