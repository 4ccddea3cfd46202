// Checks that the runners' execution segments cover the whole run, 0 to 1, once: k6's
// segment syntax ("0:1/2", "1/2:1", "0.5:1", "50%:100%"; empty = the whole run), compared
// as exact fractions so 1/3 + 1/3 + 1/3 is 1.
import { InputError } from '../engine/errors.ts';

interface Fraction { n: bigint; d: bigint }

function gcd(a: bigint, b: bigint): bigint { return b === 0n ? (a < 0n ? -a : a) : gcd(b, a % b); }
function norm(n: bigint, d: bigint): Fraction { const g = gcd(n, d) || 1n; return { n: n / g, d: d / g }; }
const cmp = (a: Fraction, b: Fraction): number => { const l = a.n * b.d, r = b.n * a.d; return l < r ? -1 : l > r ? 1 : 0; };
const text = (f: Fraction): string => (f.d === 1n ? String(f.n) : `${f.n}/${f.d}`);

function parsePoint(s: string, where: string): Fraction {
  const t = s.trim();
  let m = /^(\d+)\/(\d+)$/.exec(t);
  if (m && BigInt(m[2]!) > 0n) return norm(BigInt(m[1]!), BigInt(m[2]!));
  m = /^(\d+)(?:\.(\d+))?(%?)$/.exec(t);
  if (m) {
    const decimals = m[2] ?? '';
    const d = 10n ** BigInt(decimals.length) * (m[3] ? 100n : 1n);
    return norm(BigInt(m[1]! + decimals), d);
  }
  throw new InputError(`${where}: "${s}" is not a segment point (use a fraction 1/2, a decimal 0.5 or a percentage 50%)`);
}

export interface Segment { from: Fraction; to: Fraction; text: string; source: string }

export function parseSegment(segment: string, source: string): Segment {
  if (segment.trim() === '') return { from: { n: 0n, d: 1n }, to: { n: 1n, d: 1n }, text: '0:1', source };
  const parts = segment.split(':');
  if (parts.length !== 2) throw new InputError(`${source}: execution segment "${segment}" must be from:to`);
  const from = parsePoint(parts[0]!, source), to = parsePoint(parts[1]!, source);
  if (cmp(from, to) >= 0 || cmp(to, { n: 1n, d: 1n }) > 0) throw new InputError(`${source}: execution segment "${segment}" must satisfy 0 <= from < to <= 1`);
  return { from, to, text: `${text(from)}:${text(to)}`, source };
}

/** Throws InputError naming the missing part or the overlapping runners. */
export function checkCover(segments: readonly Segment[]): void {
  const sorted = [...segments].sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to));
  let at: Fraction = { n: 0n, d: 1n };
  let last: Segment | undefined;
  for (const s of sorted) {
    const c = cmp(s.from, at);
    if (c > 0) throw new InputError(`the runner summaries do not cover the run: segment ${text(at)}:${text(s.from)} is missing (no runner summary for it)`);
    if (c < 0 && last) throw new InputError(`the runner summaries overlap: segment ${s.text} (${s.source}) overlaps ${last.text} (${last.source}); each part of the run must be counted once`);
    at = s.to;
    last = s;
  }
  if (cmp(at, { n: 1n, d: 1n }) < 0) throw new InputError(`the runner summaries do not cover the run: segment ${text(at)}:1 is missing (no runner summary for it)`);
}
