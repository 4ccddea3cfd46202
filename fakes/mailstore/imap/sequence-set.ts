// IMAP sequence sets ("1:4,7,9:*") resolved against a mailbox, by sequence number or by uid.
import type { StoredMessage } from '../message.ts';

/** Returns the 0-based positions of matching messages, in mailbox order; undefined when malformed. */
export function resolveSet(set: string, messages: readonly StoredMessage[], byUid: boolean): number[] | undefined {
  const ranges: [number, number][] = [];
  const last = byUid ? (messages.at(-1)?.uid ?? 0) : messages.length;
  for (const part of set.split(',')) {
    const m = /^(\d+|\*)(?::(\d+|\*))?$/.exec(part);
    if (!m) return undefined;
    const a = m[1] === '*' ? last : Number(m[1]);
    const b = m[2] === undefined ? a : m[2] === '*' ? last : Number(m[2]);
    if (!byUid && (a === 0 || b === 0)) return undefined;
    ranges.push([Math.min(a, b), Math.max(a, b)]);
  }
  const inSet = (n: number) => ranges.some(([lo, hi]) => n >= lo && n <= hi);
  const out: number[] = [];
  messages.forEach((message, i) => {
    if (inSet(byUid ? message.uid : i + 1)) out.push(i);
  });
  return out;
}
