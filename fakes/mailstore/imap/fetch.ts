// FETCH items: UID, FLAGS, RFC822.SIZE, INTERNALDATE, BODY[]/BODY.PEEK[] (whole, HEADER,
// HEADER.FIELDS (names) or TEXT, with <partial>), RFC822, RFC822.HEADER and the FAST macro. A corrupt message fails
// its body fetch; the others are still answered and the command ends in NO.
import type { StoredMessage } from '../message.ts';
import { BadCommand, isList, list, text, type Attr, type ImapAttribute } from './attributes.ts';
import { flagList, internalDate } from './format.ts';

interface BodyItem {
  kind: 'body';
  label: string;
  section: '' | 'HEADER' | 'TEXT' | 'HEADER.FIELDS';
  /** HEADER.FIELDS: the header names asked for, upper-cased */
  fields?: string[];
  peek: boolean;
  partial?: [number, number];
}
type Item = { kind: 'UID' | 'FLAGS' | 'RFC822.SIZE' | 'INTERNALDATE' } | BodyItem;

export function parseItems(attr: Attr): Item[] {
  const attrs = isList(attr) ? attr : [attr];
  const items: Item[] = [];
  for (const a of attrs) {
    const name = text(a, 'fetch item').toUpperCase();
    const node = a as ImapAttribute;
    if (name === 'FAST') items.push({ kind: 'FLAGS' }, { kind: 'INTERNALDATE' }, { kind: 'RFC822.SIZE' });
    else if (name === 'UID' || name === 'FLAGS' || name === 'RFC822.SIZE' || name === 'INTERNALDATE') items.push({ kind: name });
    else if (name === 'RFC822') items.push({ kind: 'body', label: 'RFC822', section: '', peek: false });
    else if (name === 'RFC822.HEADER') items.push({ kind: 'body', label: 'RFC822.HEADER', section: 'HEADER', peek: true });
    else if ((name === 'BODY' || name === 'BODY.PEEK') && node.section) items.push(bodyItem(node, name === 'BODY.PEEK'));
    else throw new BadCommand(`unsupported fetch item ${name}`);
  }
  return items;
}

function bodyItem(node: ImapAttribute, peek: boolean): BodyItem {
  const parts = node.section ?? [];
  const section = parts.length === 0 ? '' : text(parts[0] as Attr, 'section').toUpperCase();
  if (section === 'HEADER.FIELDS') {
    const names = list(parts[1] as Attr, 'HEADER.FIELDS names').map((n) => text(n, 'header name').toUpperCase());
    if (parts.length > 2 || names.length === 0) throw new BadCommand('HEADER.FIELDS needs one list of header names');
    return withPartial({ kind: 'body', label: `BODY[HEADER.FIELDS (${names.join(' ')})]`, section, fields: names, peek }, node);
  }
  if (parts.length > 1 || (section !== '' && section !== 'HEADER' && section !== 'TEXT')) throw new BadCommand(`unsupported body section ${section}`);
  return withPartial({ kind: 'body', label: `BODY[${section}]`, section: section as BodyItem['section'], peek }, node);
}

function withPartial(item: BodyItem, node: ImapAttribute): BodyItem {
  if (node.partial) {
    const [start, length] = node.partial;
    if (start === undefined || !(start >= 0)) throw new BadCommand('bad partial');
    item.partial = [start, length ?? Infinity];
  }
  return item;
}

export interface FetchTarget {
  message: StoredMessage;
  seq: number;
}

/** Writes one `* n FETCH (...)` response; returns false when the body could not be read. */
export function fetchOne(target: FetchTarget, items: readonly Item[], byUid: boolean, readOnly: boolean, write: (chunk: string | Buffer) => void): boolean {
  const { message, seq } = target;
  const wanted = byUid && !items.some((i) => i.kind === 'UID') ? [{ kind: 'UID' } as Item, ...items] : [...items];
  let raw: Buffer | undefined;
  if (wanted.some((i) => i.kind === 'body')) {
    try {
      raw = message.raw();
    } catch {
      return false;
    }
    if (!readOnly && wanted.some((i) => i.kind === 'body' && !i.peek) && !message.flags.has('\\Seen')) {
      message.flags.add('\\Seen');
      if (!wanted.some((i) => i.kind === 'FLAGS')) wanted.push({ kind: 'FLAGS' });
    }
  }
  const out: (string | Buffer)[] = [];
  let pending = `* ${seq} FETCH (`;
  wanted.forEach((item, k) => {
    if (k > 0) pending += ' ';
    if (item.kind === 'body') {
      const content = slice(item.fields ? headerFields(raw as Buffer, item.fields) : section(raw as Buffer, item.section as '' | 'HEADER' | 'TEXT'), item.partial);
      const origin = item.partial ? `<${item.partial[0]}>` : '';
      out.push(`${pending}${item.label}${origin} {${content.length}}\r\n`, content);
      pending = '';
    } else if (item.kind === 'UID') pending += `UID ${message.uid}`;
    else if (item.kind === 'FLAGS') pending += `FLAGS ${flagList(message.flags)}`;
    else if (item.kind === 'RFC822.SIZE') pending += `RFC822.SIZE ${message.size}`;
    else pending += `INTERNALDATE ${internalDate(message.internalDate)}`;
  });
  out.push(`${pending})\r\n`);
  for (const chunk of out) write(chunk);
  return true;
}

/** The named header lines (folded lines kept whole) and the blank line, as RFC 3501 answers HEADER.FIELDS. */
function headerFields(raw: Buffer, names: readonly string[]): Buffer {
  const wanted = new Set(names);
  const lines = section(raw, 'HEADER').toString('latin1').split(/\r?\n/);
  let keep = false;
  const out: string[] = [];
  for (const line of lines) {
    if (line === '') break;
    if (!/^[ \t]/.test(line)) keep = wanted.has(line.slice(0, Math.max(0, line.indexOf(':'))).trim().toUpperCase());
    if (keep) out.push(line);
  }
  return Buffer.from(`${out.map((l) => `${l}\r\n`).join('')}\r\n`, 'latin1');
}

function section(raw: Buffer, which: '' | 'HEADER' | 'TEXT'): Buffer {
  if (which === '') return raw;
  let split = raw.indexOf('\r\n\r\n');
  let gap = 4;
  if (split < 0) {
    split = raw.indexOf('\n\n');
    gap = 2;
  }
  if (split < 0) return which === 'HEADER' ? raw : Buffer.alloc(0);
  return which === 'HEADER' ? raw.subarray(0, split + gap) : raw.subarray(split + gap);
}

function slice(content: Buffer, partial?: [number, number]): Buffer {
  if (!partial) return content;
  const [start, length] = partial;
  return content.subarray(start, start + length);
}
