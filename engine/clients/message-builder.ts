// Builds raw RFC 5322 messages cheaply: the body for each size is made once and reused,
// only the few header lines differ from one message to the next.
import type { SendRequest } from './types.ts';
import { LEDGER_HEADER } from '../ledger/types.ts';

const LINE = 'The quick brown fox jumps over the lazy dog, mailstorm filler text 0123456789.\r\n';

export class MessageBuilder {
  readonly #bodies = new Map<number, string>();

  constructor(private readonly domain = 'mailstorm.test') {}

  build(request: SendRequest, id: string, date: Date): string {
    const headers = [
      `From: <${request.from}>`,
      `To: ${request.to.map((r) => `<${r}>`).join(', ')}`,
      `Subject: ${request.subject ?? `mailstorm ${id}`}`,
      `Date: ${date.toUTCString()}`,
      `Message-ID: <${id}@${this.domain}>`,
      `${LEDGER_HEADER}: ${id}`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
    ];
    for (const [name, value] of Object.entries(request.headers ?? {})) headers.push(`${name}: ${value.replace(/[\r\n]+/g, ' ')}`);
    const body = request.body !== undefined ? request.body.replace(/\r?\n/g, '\r\n') : this.#body(request.sizeBytes ?? 2048);
    return `${headers.join('\r\n')}\r\n\r\n${body}`;
  }

  #body(size: number): string {
    let body = this.#bodies.get(size);
    if (body === undefined) {
      body = LINE.repeat(Math.max(1, Math.ceil(size / LINE.length))).slice(0, Math.max(2, size - 2)) + '\r\n';
      if (this.#bodies.size < 64) this.#bodies.set(size, body);
    }
    return body;
  }
}
