// Message bytes as they go on the wire after DATA: CRLF line ends, dot-stuffed (RFC 5321
// 4.5.2), ending in CRLF.CRLF. Done once per message template, never per message.

const END = '.\r\n';

/** Turns a raw RFC 5322 message into DATA bytes (dot-stuffed, terminated). */
export function prepareMessage(raw: string | Buffer): Buffer {
  let text = (typeof raw === 'string' ? raw : raw.toString('latin1')).replace(/\r?\n/g, '\r\n');
  if (!text.endsWith('\r\n')) text += '\r\n';
  text = text.replace(/(^|\r\n)\./g, '$1..');
  return Buffer.from(text + END, 'latin1');
}

/**
 * One message layout whose only varying part is a fixed-width id field (e.g. the
 * X-Mailstorm-Id value): the bytes are built and dot-stuffed once, and each message is a
 * copy with the id written in place.
 */
export class MessageTemplate {
  readonly #bytes: Buffer;
  readonly #offsets: number[];
  readonly idWidth: number;

  /**
   * `raw` contains `placeholder` (at the start of a line's value, never at a line start)
   * wherever the id goes; ids passed to render() are padded to its length with spaces.
   */
  constructor(raw: string, placeholder: string) {
    if (placeholder.length === 0 || /[\r\n.]/.test(placeholder)) throw new RangeError('placeholder must be non-empty and contain no CR, LF or dot');
    this.#bytes = prepareMessage(raw);
    this.idWidth = placeholder.length;
    const needle = Buffer.from(placeholder, 'latin1');
    this.#offsets = [];
    for (let at = this.#bytes.indexOf(needle); at >= 0; at = this.#bytes.indexOf(needle, at + needle.length)) this.#offsets.push(at);
    if (this.#offsets.length === 0) throw new RangeError('placeholder not found in the message');
  }

  get size(): number {
    return this.#bytes.length;
  }

  /** A copy of the message with `id` in every placeholder. */
  render(id: string): Buffer {
    if (id.length > this.idWidth || /[\r\n]/.test(id)) throw new RangeError(`id "${id}" must be at most ${this.idWidth} characters with no line breaks`);
    const out = Buffer.allocUnsafe(this.#bytes.length);
    this.#bytes.copy(out);
    const padded = id.padEnd(this.idWidth, ' ');
    for (const at of this.#offsets) out.write(padded, at, 'latin1');
    return out;
  }
}
