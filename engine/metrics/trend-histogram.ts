// A trend's samples in integer units: kept as they are while there are few, in a dense HDR
// histogram once there are many. Either way every answer is the HDR histogram's: a
// percentile is the upper edge of the bucket holding that rank, so the move is invisible.
//
// Why not one histogram from the start: hdr-histogram-js's dense arrays take ~120 KB per
// histogram for a minute's range at 1 µs, too much for thousands of quiet tag sets; its
// packed arrays are small but take 1-4 ms to read one percentile even with ten samples
// (they walk every index), which cost a storm run a quarter of its main thread.
import { build, type Histogram, type JsHistogram } from 'hdr-histogram-js';

const DENSE = { bitBucketSize: 64, autoResize: true, numberOfSignificantValueDigits: 3 } as const;
/** Samples kept as they are (8 bytes each) before the histogram takes over. */
export const RAW_SAMPLES = 1024;
// Bucket arithmetic only, never recorded into: every trend histogram has this layout.
const LAYOUT = build(DENSE) as unknown as JsHistogram;

export class TrendHistogram {
  #raw: number[] | undefined = [];
  #sorted = true;
  #hist: Histogram | undefined;

  record(units: number, count = 1): void {
    const raw = this.#raw;
    if (raw && raw.length + count <= RAW_SAMPLES) {
      for (let i = 0; i < count; i++) raw.push(units);
      this.#sorted = false;
      return;
    }
    this.#dense().recordValueWithCount(units, count);
  }

  add(other: TrendHistogram): void {
    if (other.#raw) for (const units of other.#raw) this.record(units);
    else this.#dense().add(other.#hist!);
  }

  /** The value at percentile p (0 < p < 100): HDR's rank rule and bucket edge. */
  valueAtPercentile(p: number): number {
    const raw = this.#raw;
    if (!raw) return this.#hist!.getValueAtPercentile(p);
    if (raw.length === 0) return 0;
    this.#sortRaw();
    return LAYOUT.highestEquivalentValue(raw[rankAt(p, raw.length) - 1] as number);
  }

  /** Non-empty buckets as [value, count, ...], each value its bucket's upper edge, ascending. */
  bucketCounts(): number[] {
    const out: number[] = [];
    const raw = this.#raw;
    if (raw) {
      this.#sortRaw();
      for (const units of raw) {
        const edge = LAYOUT.highestEquivalentValue(units);
        if (out.length > 0 && out[out.length - 2] === edge) (out[out.length - 1] as number)++;
        else out.push(edge, 1);
      }
      return out;
    }
    const it = (this.#hist as unknown as JsHistogram).recordedValuesIterator;
    it.reset();
    while (it.hasNext()) {
      const v = it.next();
      out.push(v.valueIteratedTo, v.countAtValueIteratedTo);
    }
    return out;
  }

  /** Empties it; a histogram that was busy stays dense, so a busy series does not rebuild one every second. */
  reset(): void {
    if (this.#raw) this.#raw.length = 0;
    else this.#hist!.reset();
  }

  #dense(): Histogram {
    if (!this.#hist) {
      const hist = build(DENSE);
      for (const units of this.#raw ?? []) hist.recordValue(units);
      this.#hist = hist;
      this.#raw = undefined;
    }
    return this.#hist;
  }

  #sortRaw(): void {
    if (this.#sorted) return;
    this.#raw!.sort((a, b) => a - b);
    this.#sorted = true;
  }
}

/** The 1-based rank HDR reads percentile p at among n samples (its rounding, ulp guard included). */
function rankAt(p: number, n: number): number {
  const fp = (Math.min(p, 100) / 100) * n;
  const ulp = fp > 0 ? 2 ** (Math.floor(Math.log2(fp)) - 52) : 0;
  return Math.min(n, Math.max(1, Math.ceil(fp - ulp)));
}
