// A seeded random source (mulberry32): every random choice in a run derives from --seed,
// so a run can be reproduced exactly.

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer uniform in [min, max] inclusive. */
  int(min: number, max: number): number;
  /** Picks one element; throws on an empty array. */
  pick<T>(items: readonly T[]): T;
  /** Exponentially distributed with the given mean (inter-arrival times). */
  exponential(mean: number): number;
  /** Log-normally distributed with the given median and sigma (mailbox sizes). */
  logNormal(median: number, sigma: number): number;
  /** An independent stream derived from this one and a label, so adding a consumer does not shift others. */
  fork(label: string): Random;
}

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => {
    const u = 1 - next();
    const v = next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => {
      if (items.length === 0) throw new RangeError('cannot pick from an empty list');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    exponential: (mean) => -Math.log(1 - next()) * mean,
    logNormal: (median, sigma) => median * Math.exp(sigma * normal()),
    fork: (label) => seededRandom(hash(`${seed}:${label}`)),
  };
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
