// One LMTP delivery in two steps, so the mailstore is chosen at the last moment: open()
// sends everything but the final dot; commit() sends the dot (in the same tick as the
// caller's last check of the user's route) and reads the store's reply. A delivery whose
// user moved in between is abandoned before the store could keep it (no dot, no message).
import { connect, type Socket } from 'node:net';
import type { HostPort } from '../types.ts';

export interface LmtpReply {
  code: number;
  text: string;
}

const TIMEOUT_MS = 30_000;

/** Reads complete (possibly multi-line) replies off a socket, one per call. */
class ReplyReader {
  #buffer = '';
  #waiting: { resolve: (r: LmtpReply) => void; reject: (e: Error) => void }[] = [];
  #replies: LmtpReply[] = [];
  #failed: Error | undefined;

  constructor(socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.#feed(chunk.toString('latin1')));
    socket.on('error', (error) => this.#fail(error));
    socket.on('close', () => this.#fail(new Error('the mailstore closed the LMTP connection')));
  }

  next(): Promise<LmtpReply> {
    const ready = this.#replies.shift();
    if (ready) return Promise.resolve(ready);
    if (this.#failed) return Promise.reject(this.#failed);
    return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }));
  }

  #feed(text: string): void {
    this.#buffer += text;
    for (let end = this.#buffer.indexOf('\r\n'), lines: string[] = []; end >= 0; end = this.#buffer.indexOf('\r\n')) {
      const line = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 2);
      lines.push(line.slice(4));
      if (line[3] === '-') continue;
      const reply = { code: Number(line.slice(0, 3)), text: lines.join(' ') };
      lines = [];
      const waiter = this.#waiting.shift();
      if (waiter) waiter.resolve(reply);
      else this.#replies.push(reply);
    }
  }

  #fail(error: Error): void {
    this.#failed ??= error;
    for (const w of this.#waiting.splice(0)) w.reject(this.#failed);
  }
}

/** A reply other than the expected class, as an Error carrying the store's code. */
function refused(step: string, reply: LmtpReply): Error & { responseCode: number } {
  return Object.assign(new Error(`${step}: ${reply.code} ${reply.text}`), { responseCode: reply.code });
}

/** Dot-stuffs a message for DATA and makes sure it ends with CRLF (byte-preserving). */
function dataOf(raw: Buffer): Buffer {
  let text = raw.toString('latin1').replace(/(^|\r\n)\./g, '$1..');
  if (!text.endsWith('\r\n')) text += '\r\n';
  return Buffer.from(text, 'latin1');
}

export class LmtpDelivery {
  private constructor(
    private readonly socket: Socket,
    private readonly replies: ReplyReader,
  ) {}

  /** Connects and sends LHLO, MAIL, RCPT, DATA and the message, stopping before the final dot. */
  static async open(at: HostPort, from: string, recipient: string, raw: Buffer): Promise<LmtpDelivery> {
    const socket = connect({ host: at.host, port: at.port });
    socket.setTimeout(TIMEOUT_MS, () => socket.destroy(new Error('the mailstore did not answer over LMTP in time')));
    const replies = new ReplyReader(socket);
    const delivery = new LmtpDelivery(socket, replies);
    try {
      const step = async (command: string | undefined, want: number, name: string) => {
        if (command !== undefined) socket.write(`${command}\r\n`);
        const reply = await replies.next();
        if (Math.floor(reply.code / 100) !== want) throw refused(name, reply);
      };
      await step(undefined, 2, 'greeting');
      await step('LHLO mailstorm-router', 2, 'LHLO');
      await step(`MAIL FROM:<${from}>`, 2, 'MAIL FROM');
      await step(`RCPT TO:<${recipient}>`, 2, 'RCPT TO');
      await step('DATA', 3, 'DATA');
      socket.write(dataOf(raw));
      return delivery;
    } catch (error) {
      delivery.abort();
      throw error;
    }
  }

  /** Sends the final dot now and resolves with the store's reply for the recipient. */
  async commit(): Promise<LmtpReply> {
    this.socket.write('.\r\n');
    try {
      const reply = await this.replies.next();
      this.socket.end('QUIT\r\n');
      return reply;
    } finally {
      this.socket.setTimeout(0);
    }
  }

  /** Drops the connection before the final dot: the store keeps nothing. */
  abort(): void {
    this.socket.destroy();
  }
}
