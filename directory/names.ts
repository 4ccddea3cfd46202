// Name pools for a generated population. Addresses are derived from a user's index, so
// 1.2 million users cost no per-user strings until someone asks for an address.

export const FIRST_NAMES = [
  'amelia', 'oliver', 'isla', 'george', 'ava', 'harry', 'mia', 'jack', 'ivy', 'noah',
  'grace', 'leo', 'freya', 'oscar', 'lily', 'arthur', 'emily', 'thomas', 'sophie', 'james',
  'ella', 'william', 'chloe', 'henry', 'ruby', 'samuel', 'evie', 'joseph', 'zara', 'daniel',
  'priya', 'mohammed', 'aisha', 'omar', 'fatima', 'ravi', 'mei', 'kwame', 'niamh', 'rhys',
] as const;

export const LAST_NAMES = [
  'smith', 'jones', 'taylor', 'brown', 'williams', 'wilson', 'johnson', 'davies', 'patel', 'robinson',
  'wright', 'thompson', 'evans', 'walker', 'white', 'roberts', 'green', 'hall', 'wood', 'jackson',
  'clarke', 'khan', 'hughes', 'edwards', 'turner', 'hill', 'moore', 'cooper', 'ward', 'morris',
  'begum', 'ali', 'shah', 'murphy', 'kelly', 'obi', 'chen', 'nguyen', 'singh', 'price',
] as const;

const PLACES = [
  'Northgate', 'Riverside', 'Westmoor', 'Eastfield', 'Kingsbridge', 'Ashford Vale', 'Highcliffe',
  'Millbrook', 'Stonehaven', 'Greenhill', 'Fairmead', 'Oakworth',
];
const KINDS = ['NHS Trust', 'Teaching Hospitals NHS Foundation Trust', 'Community Health NHS Trust', 'Primary Care Trust'];

/** An NHS-trust-like organisation name for index i (deterministic). */
export function organisationName(i: number): string {
  const place = PLACES[i % PLACES.length] ?? 'Northgate';
  const kind = KINDS[Math.floor(i / PLACES.length) % KINDS.length] ?? 'NHS Trust';
  const round = Math.floor(i / (PLACES.length * KINDS.length));
  return round === 0 ? `${place} ${kind}` : `${place} ${round + 1} ${kind}`;
}

/** 32-bit FNV-1a, used for per-user deterministic choices and for bad-password fingerprints. */
export function fnv1a(text: string, seed = 2166136261): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Integer mixer (splitmix-like) for index-derived choices without allocating strings. */
export function mix(a: number, b: number): number {
  let h = (Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be59b, 0xc2b2ae35)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}
