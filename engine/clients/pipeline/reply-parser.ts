// Splits the server's byte stream into complete SMTP replies ("250-..." continuation lines
// up to the "250 ..." line), so a reply split across TCP reads or several replies in one
// read are both handled.

export interface Reply {
  code: number;
  /** The reply's text, continuation lines joined by "\n", without CRLF. */
  text: string;
}

export class ReplyParser {
  #buffer = '';
  #lines: string[] = [];

  /** Feeds one chunk and calls `onReply` for every reply it completes, in order. */
  push(chunk: Buffer, onReply: (reply: Reply) => void): void {
    this.#buffer += chunk.toString('latin1');
    let start = 0;
    for (;;) {
      const end = this.#buffer.indexOf('\n', start);
      if (end < 0) break;
      const line = this.#buffer.slice(start, this.#buffer.charCodeAt(end - 1) === 13 ? end - 1 : end);
      start = end + 1;
      this.#lines.push(line);
      // "250-" continues, "250 " (or a bare "250") ends the reply.
      if (line.charCodeAt(3) !== 45 /* - */) {
        const code = Number(line.slice(0, 3));
        const text = this.#lines.join('\n');
        this.#lines = [];
        onReply({ code: Number.isInteger(code) ? code : 0, text });
      }
    }
    this.#buffer = start === 0 ? this.#buffer : this.#buffer.slice(start);
  }
}
