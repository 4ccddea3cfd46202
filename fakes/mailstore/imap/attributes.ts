// Readers for emailjs-imap-handler's parsed attributes (parsed with valueAsString: false, so
// literals stay bytes until a command decides what they are).

export interface ImapAttribute {
  type: 'ATOM' | 'STRING' | 'LITERAL' | 'SEQUENCE' | string;
  value: string | Uint8Array;
  section?: unknown[];
  partial?: number[];
}

export type Attr = ImapAttribute | Attr[] | null | undefined;

export interface ParsedCommand {
  tag: string;
  command: string;
  attributes?: Attr[];
}

/** Thrown for a syntactically wrong argument list: answered with BAD. */
export class BadCommand extends Error {}

/** An astring/atom/sequence as text; throws BadCommand when missing or a list. */
export function text(attr: Attr, what: string): string {
  if (!attr || Array.isArray(attr)) throw new BadCommand(`${what} expected`);
  return typeof attr.value === 'string' ? attr.value : Buffer.from(attr.value).toString('utf8');
}

export function bytes(attr: Attr, what: string): Buffer {
  if (!attr || Array.isArray(attr) || attr.type !== 'LITERAL' && attr.type !== 'STRING') throw new BadCommand(`${what} expected`);
  return typeof attr.value === 'string' ? Buffer.from(attr.value) : Buffer.from(attr.value.buffer, attr.value.byteOffset, attr.value.byteLength);
}

export function list(attr: Attr, what: string): Attr[] {
  if (!Array.isArray(attr)) throw new BadCommand(`${what} expected as a parenthesised list`);
  return attr;
}

export const isList = (attr: Attr): attr is Attr[] => Array.isArray(attr);
