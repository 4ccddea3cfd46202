// Metrics across threads: a sink that folds samples into one accumulator per series and
// second, and the compact records it hands over in batches, so a worker thread sends a few
// messages a second instead of one per sample. Merging is exact: counters and rate
// numerators/denominators are summed, trends travel as HDR histogram bucket counts with their
// exact count, sum, min and max; no percentile is ever averaged.
import { newAccumulator, type CounterAcc, type GaugeAcc, type RateAcc, TrendAcc, type Accumulator } from './accumulators.ts';
import type { MetricDeclaration, MetricKind, MetricsSink, Tags } from './types.ts';

/** One series' samples of one second, in a form postMessage copies cheaply. */
export type WireRecord =
  | { n: string; k: 'counter'; t: Tags; s: number; c: number; sum: number }
  | { n: string; k: 'rate'; t: Tags; s: number; c: number; pass: number }
  | { n: string; k: 'gauge'; t: Tags; s: number; c: number; last: number; min: number; max: number }
  | { n: string; k: 'trend'; t: Tags; s: number; c: number; sum: number; min: number; max: number; h: number[] };

export interface WireDeclaration {
  name: string;
  declaration: Omit<MetricDeclaration, 'implicit'>;
}

interface Open {
  name: string;
  tags: Tags;
  second: number;
  acc: Accumulator;
}

function toWire(o: Open): WireRecord {
  const { name: n, tags: t, second: s, acc } = o;
  switch (acc.kind) {
    case 'counter': { const a = acc as CounterAcc; return { n, k: 'counter', t, s, c: a.samples, sum: a.sum }; }
    case 'rate': { const a = acc as RateAcc; return { n, k: 'rate', t, s, c: a.samples, pass: a.passes }; }
    case 'gauge': { const a = acc as GaugeAcc; return { n, k: 'gauge', t, s, c: a.samples, last: a.last, min: a.min, max: a.max }; }
    case 'trend': { const a = acc as TrendAcc; return { n, k: 'trend', t, s, c: a.samples, sum: a.sum, min: a.min, max: a.max, h: a.bucketCounts() }; }
  }
}

/** The accumulator a record stands for; `seq` orders a gauge's value among the receiver's writes. */
export function accumulatorFromWire(r: WireRecord, seq: number): Accumulator {
  const acc = newAccumulator(r.k);
  switch (r.k) {
    case 'counter': Object.assign(acc as CounterAcc, { samples: r.c, sum: r.sum }); break;
    case 'rate': Object.assign(acc as RateAcc, { samples: r.c, passes: r.pass }); break;
    case 'gauge': Object.assign(acc as GaugeAcc, { samples: r.c, last: r.last, lastSeq: seq, min: r.min, max: r.max }); break;
    case 'trend': (acc as TrendAcc).mergeCounts(r.c, r.sum, r.min, r.max, r.h); break;
  }
  return acc;
}

/**
 * A MetricsSink that keeps, per metric and tag set, the samples of the current second; a
 * new second closes the previous one. drain() hands over everything so far and starts afresh.
 */
export class BatchingSink implements MetricsSink {
  readonly #open = new Map<string, Open>();
  #closed: WireRecord[] = [];
  #declarations: WireDeclaration[] = [];
  readonly #kinds = new Map<string, MetricKind>();
  readonly #keys = new WeakMap<Tags, string>();

  /** `second()` is whole seconds since the run started, on the run's clock. */
  constructor(private readonly second: () => number, private readonly drop: ReadonlySet<string> = new Set()) {}

  declare(name: string, declaration: Omit<MetricDeclaration, 'implicit'>): void {
    this.#declarations.push({ name, declaration });
  }

  count(name: string, value = 1, tags: Tags = {}): void { this.#add(name, 'counter', value, tags); }
  rate(name: string, ok: boolean, tags: Tags = {}): void { this.#add(name, 'rate', ok ? 1 : 0, tags); }
  gauge(name: string, value: number, tags: Tags = {}): void { this.#add(name, 'gauge', value, tags); }
  trend(name: string, value: number, tags: Tags = {}): void { this.#add(name, 'trend', value, tags); }

  /** Records and declarations since the last drain. */
  drain(): { records: WireRecord[]; declarations: WireDeclaration[] } {
    const records = this.#closed;
    for (const o of this.#open.values()) if (o.acc.samples > 0) records.push(toWire(o));
    this.#open.clear();
    this.#closed = [];
    const declarations = this.#declarations;
    this.#declarations = [];
    return { records, declarations };
  }

  #add(name: string, kind: MetricKind, value: number, tags: Tags): void {
    if (!Number.isFinite(value) || this.drop.has(name)) return;
    const known = this.#kinds.get(name);
    if (known === undefined) this.#kinds.set(name, kind);
    else if (known !== kind) throw new TypeError(`metric "${name}" is a ${known}; cannot record it as a ${kind}`);
    const key = `${name}\u0002${this.#tagKey(tags)}`;
    const second = this.second();
    let open = this.#open.get(key);
    if (open && open.second !== second) {
      if (open.acc.samples > 0) this.#closed.push(toWire(open));
      open = undefined;
    }
    if (!open) {
      open = { name, tags: { ...tags }, second, acc: newAccumulator(kind) };
      this.#open.set(key, open);
    }
    open.acc.add(value, 0);
  }

  #tagKey(tags: Tags): string {
    let key = this.#keys.get(tags);
    if (key === undefined) {
      key = Object.keys(tags).sort().map((k) => `${k}\u0000${tags[k]}`).join('\u0001');
      if (Object.isFrozen(tags)) this.#keys.set(tags, key);
    }
    return key;
  }
}
