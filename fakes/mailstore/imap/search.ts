// SEARCH criteria over one mailbox: ALL, sequence sets, UID sets, flag keys, NOT, OR,
// LARGER/SMALLER, SINCE/BEFORE/ON (internal date), HEADER name value (substring, any case;
// an empty value matches every message that has the header). Anything else is a BadCommand.
import type { StoredMessage } from '../message.ts';
import { BadCommand, isList, text, type Attr } from './attributes.ts';
import { resolveSet } from './sequence-set.ts';
import { parseImapDate } from './format.ts';
import { headerValue } from '../message.ts';

type Test = (message: StoredMessage, index: number) => boolean;

const FLAG_KEYS: Record<string, [string, boolean]> = {
  SEEN: ['\\Seen', true], UNSEEN: ['\\Seen', false], FLAGGED: ['\\Flagged', true], UNFLAGGED: ['\\Flagged', false],
  DELETED: ['\\Deleted', true], UNDELETED: ['\\Deleted', false], ANSWERED: ['\\Answered', true],
  UNANSWERED: ['\\Answered', false], DRAFT: ['\\Draft', true], UNDRAFT: ['\\Draft', false],
};

const DAY = 86_400_000;

export function search(attrs: readonly Attr[], messages: readonly StoredMessage[]): number[] {
  const tests = compileAll(attrs, messages);
  const out: number[] = [];
  messages.forEach((m, i) => {
    if (tests.every((t) => t(m, i))) out.push(i);
  });
  return out;
}

function compileAll(attrs: readonly Attr[], messages: readonly StoredMessage[]): Test[] {
  const queue = [...attrs];
  const tests: Test[] = [];
  while (queue.length > 0) tests.push(compileOne(queue, messages));
  return tests;
}

function compileOne(queue: Attr[], messages: readonly StoredMessage[]): Test {
  const attr = queue.shift();
  if (isList(attr)) {
    const inner = compileAll(attr, messages);
    return (m, i) => inner.every((t) => t(m, i));
  }
  const key = text(attr, 'search key');
  const upper = key.toUpperCase();
  if (upper === 'ALL') return () => true;
  if (upper === 'NOT') {
    const inner = compileOne(queue, messages);
    return (m, i) => !inner(m, i);
  }
  if (upper === 'OR') {
    const a = compileOne(queue, messages);
    const b = compileOne(queue, messages);
    return (m, i) => a(m, i) || b(m, i);
  }
  const flag = FLAG_KEYS[upper];
  if (flag) return (m) => m.flags.has(flag[0]) === flag[1];
  if (upper === 'UID' || /^[\d*]/.test(key)) {
    const set = upper === 'UID' ? text(queue.shift(), 'UID set') : key;
    const positions = resolveSet(set, messages, upper === 'UID');
    if (!positions) throw new BadCommand(`invalid sequence set ${set}`);
    const hit = new Set(positions);
    return (_m, i) => hit.has(i);
  }
  if (upper === 'LARGER' || upper === 'SMALLER') {
    const n = Number(text(queue.shift(), `${upper} size`));
    if (!Number.isInteger(n) || n < 0) throw new BadCommand(`${upper} needs a size`);
    return upper === 'LARGER' ? (m) => m.size > n : (m) => m.size < n;
  }
  if (upper === 'SINCE' || upper === 'BEFORE' || upper === 'ON') {
    const day = parseImapDate(text(queue.shift(), `${upper} date`));
    if (day === undefined) throw new BadCommand(`${upper} needs a date like 1-Jan-2024`);
    const start = day - (day % DAY);
    if (upper === 'SINCE') return (m) => m.internalDate >= start;
    if (upper === 'BEFORE') return (m) => m.internalDate < start;
    return (m) => m.internalDate >= start && m.internalDate < start + DAY;
  }
  if (upper === 'HEADER') {
    const name = text(queue.shift(), 'HEADER field name');
    const value = text(queue.shift(), 'HEADER value').toLowerCase();
    return (m) => {
      if (m.corrupt) return false; // its bytes cannot be read
      return headerValue(m.raw(), name)?.toLowerCase().includes(value) ?? false;
    };
  }
  throw new BadCommand(`unsupported search key ${key}`);
}
