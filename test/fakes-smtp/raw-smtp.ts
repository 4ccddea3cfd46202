// A line-based SMTP conversation over a raw socket, for input no well-behaved client sends.
import net from 'node:net';

export class RawSmtp {
  #buffer = '';
  #waiters: (() => void)[] = [];
  closed = false;

  private constructor(readonly socket: net.Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (data: string) => {
      this.#buffer += data;
      this.#wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.#wake();
    });
    socket.on('error', () => {});
  }

  static connect(port: number): Promise<RawSmtp> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(new RawSmtp(socket)));
      socket.once('error', reject);
    });
  }

  /** Waits for a complete (possibly multi-line) reply and returns it; rejects after 5 s. */
  async reply(): Promise<string> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const match = /^(?:\d{3}-.*\r\n)*\d{3}(?: .*)?\r\n/.exec(this.#buffer);
      if (match) {
        this.#buffer = this.#buffer.slice(match[0].length);
        return match[0].trimEnd();
      }
      if (this.closed) throw new Error(`connection closed; unread: ${JSON.stringify(this.#buffer)}`);
      if (Date.now() > deadline) throw new Error(`no reply; unread: ${JSON.stringify(this.#buffer)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async command(line: string): Promise<string> {
    this.socket.write(`${line}\r\n`);
    return this.reply();
  }

  write(data: string): void {
    this.socket.write(data);
  }

  /** Closes with a TCP RST, as a crashed client or a cut network does. */
  reset(): void {
    this.socket.resetAndDestroy();
  }

  destroy(): void {
    this.socket.destroy();
  }

  #wake(): void {
    for (const wake of this.#waiters.splice(0)) wake();
  }
}
