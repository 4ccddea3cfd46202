// Test-only stand-in for k6/x/tcp (xk6-tcp v0.2's Promise-based Socket) over node:net.
// Every DATA payload's X-Mailstorm-Id is noted so the test can tell the ledger what was sent.
import net from 'node:net';

export const sentIds: { id: string; to: string; at: number }[] = [];

export class Socket {
  readonly #socket = new net.Socket();
  on(event: 'data', listener: (chunk: ArrayBuffer) => void): void {
    this.#socket.on(event, (b: Buffer) => listener(b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer));
  }
  connect(port: number, host: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#socket.once('error', reject);
      this.#socket.connect(port, host, () => resolve());
    });
  }
  write(data: string): Promise<void> {
    const id = /X-Mailstorm-Id: (\S+)/.exec(data)?.[1];
    const to = /^To: <([^>]+)>/m.exec(data)?.[1];
    if (id && to) sentIds.push({ id, to, at: Date.now() });
    return new Promise((resolve, reject) => this.#socket.write(data, (e) => (e ? reject(e) : resolve())));
  }
  destroy(): void {
    this.#socket.destroy();
  }
}
