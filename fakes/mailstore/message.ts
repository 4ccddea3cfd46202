// A stored message: uid, flags, internal date and raw bytes. Seeded messages derive their
// bytes from a seed on demand, so a store seeded with many large mailboxes stays small.
import { LEDGER_HEADER } from '../../engine/ledger/types.ts';
import { mix } from '../../directory/names.ts';

export interface StoredMessage {
  uid: number;
  flags: Set<string>;
  /** ms since the epoch (clock time) */
  internalDate: number;
  size: number;
  /** A message seeded corrupt fails every body fetch. */
  corrupt: boolean;
  /** The message's bytes; throws for a corrupt one. */
  raw(): Buffer;
}

/**
 * A delivered or appended message. Kept lean (no closure, flags allocated on first use) because
 * a storm fans one message out to every list member: the MTA passes the same Buffer for every
 * recipient and the store keeps references, never copies.
 */
class PlainMessage implements StoredMessage {
  readonly corrupt = false;
  #flags: Set<string> | undefined;

  constructor(readonly uid: number, readonly bytes: Buffer, readonly internalDate: number, flags: Iterable<string>) {
    const initial = [...flags];
    if (initial.length > 0) this.#flags = new Set(initial);
  }

  get flags(): Set<string> {
    this.#flags ??= new Set();
    return this.#flags;
  }

  set flags(value: Set<string>) {
    this.#flags = value;
  }

  get size(): number {
    return this.bytes.length;
  }

  raw(): Buffer {
    return this.bytes;
  }
}

export function storedMessage(uid: number, raw: Buffer, internalDate: number, flags: Iterable<string> = []): StoredMessage {
  return new PlainMessage(uid, raw, internalDate, flags);
}

/** A seeded message of `size` bytes whose content is regenerated from `seed` on each read. */
export function seededMessage(uid: number, seed: number, size: number, internalDate: number, owner: string, corrupt: boolean): StoredMessage {
  const header = Buffer.from(
    `From: archive@seed.test\r\nTo: ${owner}\r\nSubject: Seeded message ${uid}\r\n` +
      `Message-ID: <seed-${seed.toString(16)}-${uid}@seed.test>\r\nDate: ${new Date(internalDate).toUTCString()}\r\n` +
      'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n',
  );
  const total = Math.max(size, header.length + 2);
  return {
    uid, flags: new Set(['\\Seen']), internalDate, size: total, corrupt,
    raw() {
      if (corrupt) throw new Error(`message ${uid} of ${owner} is corrupt`);
      const out = Buffer.alloc(total);
      header.copy(out);
      let h = seed;
      // 76-character lines of pseudo-random letters, CRLF-terminated like real mail.
      for (let i = header.length, col = 0; i < total; i++, col++) {
        if (col === 76 || i >= total - 2) {
          out[i] = 13;
          if (i + 1 < total) out[++i] = 10;
          col = -1;
          continue;
        }
        if ((i & 7) === 0) h = mix(h, i);
        out[i] = 97 + ((h >>> ((i & 7) * 3)) % 26);
      }
      return out;
    },
  };
}

/** Reads one header's value from the header section (unfolded), or undefined. */
export function headerValue(raw: Buffer, name: string): string | undefined {
  let end = raw.indexOf('\r\n\r\n');
  if (end < 0) end = raw.indexOf('\n\n');
  const head = raw.subarray(0, end < 0 ? Math.min(raw.length, 65536) : end).toString('latin1').replace(/\r?\n[ \t]+/g, ' ');
  const wanted = `${name.toLowerCase()}:`;
  for (const line of head.split(/\r?\n/)) {
    if (line.slice(0, wanted.length).toLowerCase() === wanted) return line.slice(wanted.length).trim();
  }
  return undefined;
}

export const ledgerIdOf = (raw: Buffer): string | undefined => headerValue(raw, LEDGER_HEADER);
