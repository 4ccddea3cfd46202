// One series (metric name + one tag set): whole-run totals plus bounded per-second points.
import { newAccumulator, type Accumulator } from './accumulators.ts';
import type { MetricKind, SeriesLine, SeriesPoint, Tags } from './types.ts';

/** Points left for the whole registry; shared by its series. */
export interface PointBudget {
  left: number;
}

export class Series {
  readonly total: Accumulator;
  readonly #bucket: Accumulator;
  #bucketT = -1;
  readonly #points: SeriesPoint[] = [];
  /** First second whose point was not kept because the per-series cap was reached. */
  truncatedAt: number | undefined;

  constructor(
    readonly name: string,
    readonly kind: MetricKind,
    readonly tags: Tags,
    private readonly maxPoints: number,
    private readonly budget: PointBudget = { left: Infinity },
  ) {
    this.total = newAccumulator(kind);
    this.#bucket = newAccumulator(kind);
  }

  add(value: number, seq: number, second: number): void {
    this.total.add(value, seq);
    // A sample stamped earlier than the open second (clock skew between recorders) joins
    // the open second, so points stay in time order.
    const t = Math.max(second, this.#bucketT);
    if (t !== this.#bucketT) this.#roll(t);
    this.#bucket.add(value, seq);
  }

  /** Adds a whole accumulator of samples recorded in `second` (another thread's batch). */
  absorb(acc: Accumulator, second: number): void {
    this.total.merge(acc);
    const t = Math.max(second, this.#bucketT);
    if (t !== this.#bucketT) this.#roll(t);
    this.#bucket.merge(acc);
  }

  line(): SeriesLine {
    const points = [...this.#points];
    if (this.#bucket.samples > 0 && this.truncatedAt === undefined && points.length < this.maxPoints) {
      points.push(this.#bucket.point(this.#bucketT));
    }
    const line: SeriesLine = { metric: this.name, kind: this.kind, tags: this.tags, points };
    if (this.truncatedAt !== undefined) line.truncatedAt = this.truncatedAt;
    return line;
  }

  #roll(next: number): void {
    if (this.#bucketT >= 0 && this.#bucket.samples > 0) {
      const closed = this.#bucket.point(this.#bucketT);
      this.#push(closed);
      // Counters and gauges have a value in silent seconds too (0, or the last level).
      if (this.kind === 'counter' || this.kind === 'gauge') {
        for (let s = this.#bucketT + 1; s < next && this.truncatedAt === undefined; s++) {
          this.#push({ t: s, value: this.kind === 'counter' ? 0 : closed.value });
        }
      }
    }
    this.#bucket.reset();
    this.#bucketT = next;
  }

  #push(point: SeriesPoint): void {
    if (this.truncatedAt === undefined && this.#points.length < this.maxPoints && this.budget.left > 0) {
      this.#points.push(point);
      this.budget.left--;
    } else {
      this.truncatedAt ??= point.t;
    }
  }
}
