// One series (metric name + one tag set): whole-run totals plus bounded per-second points.
import { newAccumulator, type Accumulator } from './accumulators.ts';
import type { MetricKind, SeriesLine, SeriesPoint, Tags } from './types.ts';

/** Points left for the whole registry; shared by its series. */
export interface PointBudget {
  left: number;
}

export class Series {
  readonly total: Accumulator;
  // The open second and the one before it: batches merged from worker threads arrive up to a
  // batch late (one worker's second 4 after another's second 5), so the previous second stays
  // open until a sample of a later one closes it.
  #prev: Accumulator;
  #prevT = -1;
  #bucket: Accumulator;
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
    this.#prev = newAccumulator(kind);
  }

  add(value: number, seq: number, second: number): void {
    this.total.add(value, seq);
    this.#bucketFor(second).add(value, seq);
  }

  /** Adds a whole accumulator of samples recorded in `second` (another thread's batch). */
  absorb(acc: Accumulator, second: number): void {
    this.total.merge(acc);
    this.#bucketFor(second).merge(acc);
  }

  line(): SeriesLine {
    const points = [...this.#points];
    const open = this.#open();
    for (const point of open) {
      if (this.truncatedAt !== undefined || points.length >= this.maxPoints) break;
      points.push(point);
    }
    const line: SeriesLine = { metric: this.name, kind: this.kind, tags: this.tags, points };
    if (this.truncatedAt !== undefined) line.truncatedAt = this.truncatedAt;
    return line;
  }

  /**
   * The bucket a sample of `second` goes to. A sample stamped earlier than both open seconds
   * (clock skew between recorders, a very late batch) joins the older one, so points stay in
   * time order.
   */
  #bucketFor(second: number): Accumulator {
    if (second === this.#bucketT) return this.#bucket;
    if (second < this.#bucketT) return this.#prevT >= 0 && second <= this.#prevT ? this.#prev : this.#bucket;
    this.#roll(second);
    return this.#bucket;
  }

  /** The points of the seconds still open, with the silent seconds between them. */
  #open(): SeriesPoint[] {
    const out: SeriesPoint[] = [];
    if (this.#prevT >= 0 && this.#prev.samples > 0) out.push(...this.#withSilence(this.#prev.point(this.#prevT), this.#bucketT));
    if (this.#bucketT >= 0 && this.#bucket.samples > 0) out.push(this.#bucket.point(this.#bucketT));
    return out;
  }

  /** A closed point and, for counters and gauges, one per silent second before `next` (0, or the last level). */
  #withSilence(closed: SeriesPoint, next: number): SeriesPoint[] {
    const out = [closed];
    if (this.kind === 'counter' || this.kind === 'gauge') {
      for (let s = closed.t + 1; s < next; s++) out.push({ t: s, value: this.kind === 'counter' ? 0 : closed.value });
    }
    return out;
  }

  #roll(next: number): void {
    if (this.#prevT >= 0 && this.#prev.samples > 0) {
      for (const point of this.#withSilence(this.#prev.point(this.#prevT), this.#bucketT)) {
        if (this.truncatedAt !== undefined) break;
        this.#push(point);
      }
    }
    const spare = this.#prev;
    spare.reset();
    this.#prev = this.#bucket;
    this.#prevT = this.#bucketT;
    this.#bucket = spare;
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
