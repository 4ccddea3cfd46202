// k6's execution segments: a share a:b of a test's work, within a sequence of segments that
// covers 0..1, so several processes (or worker threads, or k6-operator runners) each run a
// disjoint part of every executor and together run exactly the unsplit test. Same meaning
// and same arithmetic as k6 (lib/execution_segment.go): rational bounds, the LCD of the
// sequence's lengths, and the striping that hands out indices 0..lcd-1 to the segments so
// each gets its share spread out (largest segments first, ties in sequence order).
import { InputError } from '../errors.ts';

/** A non-negative rational in lowest terms. */
export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

export interface ExecutionSegment {
  readonly from: Rational;
  readonly to: Rational;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function rational(num: bigint, den: bigint): Rational {
  const g = gcd(num, den) || 1n;
  return { num: num / g, den: den / g };
}

const ZERO = rational(0n, 1n);
const ONE = rational(1n, 1n);

function compare(a: Rational, b: Rational): number {
  const d = a.num * b.den - b.num * a.den;
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

function subtract(a: Rational, b: Rational): Rational {
  return rational(a.num * b.den - b.num * a.den, a.den * b.den);
}

function ratString(r: Rational): string {
  return r.den === 1n ? String(r.num) : `${r.num}/${r.den}`;
}

/** Parses `50%`, `0.5` or `1/2` (k6 accepts all three). */
function parseRational(text: string, what: string): Rational {
  const s = text.trim();
  let m = /^(\d+)%$/.exec(s);
  if (m) return rational(BigInt(m[1] as string), 100n);
  m = /^(\d+)\/(\d+)$/.exec(s);
  if (m) {
    const den = BigInt(m[2] as string);
    if (den === 0n) throw new InputError(`${what}: "${text}" divides by zero`);
    return rational(BigInt(m[1] as string), den);
  }
  m = /^(\d*)(?:\.(\d+))?$/.exec(s);
  if (m && (m[1] || m[2])) {
    const decimals = m[2] ?? '';
    return rational(BigInt((m[1] || '0') + decimals), 10n ** BigInt(decimals.length));
  }
  throw new InputError(`${what}: "${text}" is not a percentage, decimal or fraction`);
}

function makeSegment(from: Rational, to: Rational, what: string): ExecutionSegment {
  if (compare(from, to) >= 0) throw new InputError(`${what}: start ${ratString(from)} must be less than end ${ratString(to)}`);
  if (compare(to, ONE) > 0) throw new InputError(`${what}: end ${ratString(to)} is more than 1`);
  return { from, to };
}

/**
 * `--execution-segment`: `a:b` is the segment (a, b]; a single value `b` means 0:b; empty
 * means the whole test 0:1 (k6's shortcut for running a scaled-down test).
 */
export function parseExecutionSegment(text: string): ExecutionSegment {
  const what = '--execution-segment';
  const s = text.trim() || '1';
  const colon = s.indexOf(':');
  const from = colon < 0 ? ZERO : parseRational(s.slice(0, colon), what);
  const to = parseRational(colon < 0 ? s : s.slice(colon + 1), what);
  return makeSegment(from, to, what);
}

/** `--execution-segment-sequence`: `r0,r1,...,rn` is the segments (r0,r1], ..., (rn-1,rn]. */
export function parseExecutionSegmentSequence(text: string): ExecutionSegment[] {
  const what = '--execution-segment-sequence';
  const points = text.split(',').map((p) => parseRational(p, what));
  if (points.length < 2) throw new InputError(`${what}: at least 2 points are needed, got ${points.length}`);
  const segments: ExecutionSegment[] = [];
  for (let i = 1; i < points.length; i++) segments.push(makeSegment(points[i - 1] as Rational, points[i] as Rational, what));
  return segments;
}

export function segmentString(segment: ExecutionSegment): string {
  return `${ratString(segment.from)}:${ratString(segment.to)}`;
}

export function sequenceString(sequence: readonly ExecutionSegment[]): string {
  return [sequence[0]?.from ?? ZERO, ...sequence.map((s) => s.to)].map(ratString).join(',');
}

function equal(a: ExecutionSegment, b: ExecutionSegment): boolean {
  return compare(a.from, b.from) === 0 && compare(a.to, b.to) === 0;
}

/** Splits 0:1 into n equal segments: what `--workers n` and k6-operator's parallelism use. */
export function evenSequence(n: number): ExecutionSegment[] {
  if (!Number.isInteger(n) || n < 1) throw new InputError(`cannot split a test into ${n} segments`);
  const N = BigInt(n);
  return Array.from({ length: n }, (_, i) => ({ from: rational(BigInt(i), N), to: rational(BigInt(i + 1), N) }));
}

/** Above this the striping table (lcd entries) would be unreasonably large. */
const MAX_LCD = 1_000_000n;

/**
 * One segment of a full sequence, with k6's striping precomputed: of every `lcd`
 * consecutive indices (iterations, VUs), this segment owns `owned.length`, at the
 * positions in `owned`. Index i belongs to it iff owned includes i mod lcd.
 */
export class ExecutionTuple {
  readonly segment: ExecutionSegment;
  readonly sequence: readonly ExecutionSegment[];
  readonly lcd: number;
  /** Positions within one period of lcd indices that belong to this segment, ascending. */
  readonly owned: readonly number[];
  readonly #ownedSet: Uint8Array;

  /**
   * Without a sequence the segment is completed to a full one (0:a, a:b, b:1), as k6 does;
   * with one, the segment must be one of its elements and the sequence must cover 0..1.
   */
  constructor(segment: ExecutionSegment = { from: ZERO, to: ONE }, sequence?: readonly ExecutionSegment[]) {
    const filled = fillSequence(sequence, segment);
    const index = filled.findIndex((s) => equal(s, segment));
    if (index < 0) throw new InputError(`--execution-segment ${segmentString(segment)} is not in --execution-segment-sequence ${sequenceString(filled)}`);
    this.segment = segment;
    this.sequence = filled;
    const lengths = filled.map((s) => subtract(s.to, s.from));
    let lcd = 1n;
    for (const l of lengths) lcd = (lcd / gcd(lcd, l.den)) * l.den;
    if (lcd > MAX_LCD) throw new InputError(`--execution-segment-sequence ${sequenceString(filled)}: common denominator ${lcd} is too large (at most ${MAX_LCD})`);
    this.lcd = Number(lcd);
    this.owned = stripe(lengths.map((l) => Number(l.num * (lcd / l.den))), this.lcd)[index] as number[];
    this.#ownedSet = new Uint8Array(this.lcd);
    for (const p of this.owned) this.#ownedSet[p] = 1;
  }

  /** True for the whole test (0:1): executors then run exactly as without segments. */
  get full(): boolean {
    return this.owned.length === this.lcd;
  }

  /** Whether global index i (0-based) belongs to this segment. */
  owns(i: number): boolean {
    return this.#ownedSet[i % this.lcd] === 1;
  }

  /** The global index of this segment's k-th (0-based) index; Infinity when it owns none. */
  globalIndex(k: number): number {
    const per = this.owned.length;
    if (per === 0) return Infinity;
    return Math.floor(k / per) * this.lcd + (this.owned[k % per] as number);
  }

  /** How many of the indices 0..value-1 belong to this segment (k6's ScaleInt64). */
  scale(value: number): number {
    const per = this.owned.length;
    const rest = value % this.lcd;
    let count = Math.floor(value / this.lcd) * per;
    for (const p of this.owned) {
      if (p >= rest) break;
      count++;
    }
    return count;
  }

  /**
   * k6's GetNewExecutionTupleBasedOnValue: the sequence re-cut so each segment's length is
   * its share of `value` (say maxVUs) over value, segments with no share left out. Executors
   * stripe iterations by it so a segment with no VU gets no iteration either; undefined when
   * this segment's share is 0 (the executor has no work here, as in k6).
   */
  basedOnValue(value: number): ExecutionTuple | undefined {
    if (value < 1 || this.scale(value) === 0) return undefined;
    if (value % this.lcd === 0) return this;
    const V = BigInt(value);
    const sequence: ExecutionSegment[] = [];
    let mine: ExecutionSegment | undefined;
    let prev = 0n;
    for (const segment of this.sequence) {
      const share = BigInt(new ExecutionTuple(segment, this.sequence).scale(value));
      if (share === 0n) continue;
      const cut = { from: rational(prev, V), to: rational(prev + share, V) };
      if (equal(segment, this.segment)) mine = cut;
      sequence.push(cut);
      prev += share;
    }
    return new ExecutionTuple(mine as ExecutionSegment, sequence);
  }

  toString(): string {
    return segmentString(this.segment);
  }
}

function fillSequence(sequence: readonly ExecutionSegment[] | undefined, segment: ExecutionSegment): ExecutionSegment[] {
  const result = sequence && sequence.length > 0 ? [...sequence] : [segment];
  for (let i = 1; i < result.length; i++) {
    const prev = result[i - 1] as ExecutionSegment;
    const cur = result[i] as ExecutionSegment;
    if (compare(prev.to, cur.from) !== 0) throw new InputError(`--execution-segment-sequence: segment ${segmentString(cur)} does not start where ${segmentString(prev)} ends`);
  }
  const first = result[0] as ExecutionSegment;
  const last = result[result.length - 1] as ExecutionSegment;
  if (compare(first.from, ZERO) !== 0) result.unshift({ from: ZERO, to: first.from });
  if (compare(last.to, ONE) !== 0) result.push({ from: last.to, to: ONE });
  return result;
}

/**
 * k6's striping: walk indices 0..lcd-1 and give each to the first segment (largest share
 * first, ties in sequence order) that is "due", i.e. whose next share k satisfies
 * k * lcd / share <= i. Each segment ends up with exactly `share` indices, evenly spread.
 */
function stripe(shares: readonly number[], lcd: number): number[][] {
  const order = shares.map((share, index) => ({ share, index })).sort((a, b) => b.share - a.share);
  const chosen = new Array<number>(order.length).fill(0);
  const owned = shares.map(() => [] as number[]);
  for (let i = 0; i < lcd; i++) {
    for (let s = 0; s < order.length; s++) {
      const { share, index } = order[s] as { share: number; index: number };
      if (share === 0) continue;
      const num = (chosen[s] as number) * lcd;
      const q = Math.floor(num / share);
      if (i > q || (i === q && num % share === 0)) {
        chosen[s] = (chosen[s] as number) + 1;
        (owned[index] as number[]).push(i);
        break;
      }
    }
  }
  return owned;
}

export const FULL_TEST = new ExecutionTuple();
