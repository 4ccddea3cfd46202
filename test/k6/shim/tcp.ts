// Test-only stand-in for k6/x/tcp over node:net and node:tls, behaving as grafana/xk6-tcp does
// (its index.d.ts and Go source, read for this): connect(port, host?) or connect({port, host,
// tls, tags}) and write(string | ArrayBuffer, {encoding}) return Promises; one listener per
// event (a second `on` replaces the first); 'data' gets the bytes of one read as an array-like
// the socket reuses once the listener returns (xk6-tcp hands a pooled Go []byte to the VU), so a
// script must copy what it keeps; 'close' comes once, after EOF, an error or destroy(); a
// failed connect fires 'error' and rejects; setTimeout(ms) fires 'timeout' without closing.
// TLS only at connect, verified as k6 does with `tlsConfig` below (k6's own TLS options).
// Every DATA payload's X-Mailstorm-Id is noted so the test can tell the ledger what was sent.
import net from 'node:net';
import tls from 'node:tls';

export const sentIds: { id: string; to: string; at: number }[] = [];
/** What k6's TLS options would say (insecureSkipTLSVerify, a trusted CA); tests set it. */
export const tlsConfig: { ca?: string; rejectUnauthorized: boolean } = { rejectUnauthorized: true };
/** How many connections asked for TLS, so a test sees the dialogue used it. */
export const tlsConnects: { host: string; port: number }[] = [];

type Event = 'connect' | 'data' | 'close' | 'error' | 'timeout';
type Listener = (...args: never[]) => void;
interface ConnectOptions { port: number | string; host?: string; tls?: boolean; tags?: Record<string, string> }

const ENCODINGS = new Set(['', 'utf8', 'utf-8', 'ascii', 'base64', 'base64url', 'hex']);

export class Socket {
  #socket: net.Socket | undefined;
  readonly #handlers = new Map<Event, Listener>();
  #closed = false;
  #timeout = 0;
  ready_state: 'disconnected' | 'opening' | 'open' | 'destroyed' = 'disconnected';
  // xk6-tcp's read buffer: one array reused for every read
  readonly #pool: number[] = [];

  constructor(_options?: { tags?: Record<string, string> }) {}

  on(event: Event, listener: Listener): void {
    if (!['connect', 'data', 'close', 'error', 'timeout'].includes(event)) return; // xk6-tcp warns and ignores
    this.#handlers.set(event, listener);
  }

  #fire(event: Event, ...args: unknown[]): void {
    (this.#handlers.get(event) as ((...a: unknown[]) => void) | undefined)?.(...args);
  }

  connect(portOrOptions: number | string | ConnectOptions, host?: string): Promise<void> {
    const o: ConnectOptions = typeof portOrOptions === 'object' ? portOrOptions : { port: portOrOptions, ...(host !== undefined ? { host } : {}) };
    const target = { host: o.host || 'localhost', port: Number(o.port) };
    this.ready_state = 'opening';
    return new Promise((resolve, reject) => {
      const onError = (e: Error) => {
        this.ready_state = 'disconnected';
        const err = Object.assign(new Error(`TCP error during connect: ${e.message}`), { name: 'TCPError', method: 'connect' });
        this.#fire('error', err);
        reject(err);
      };
      const ready = () => {
        s.off('error', onError);
        this.ready_state = 'open';
        this.#fire('connect');
        s.on('data', (b: Buffer) => {
          this.#pool.length = 0;
          for (const byte of b) this.#pool.push(byte);
          this.#fire('data', this.#pool);
          this.#pool.fill(0); // back to the pool: what the listener did not copy is gone
        });
        s.on('error', (e: Error) => this.#fire('error', Object.assign(new Error(`TCP error during read: ${e.message}`), { name: 'TCPError', method: 'read' })));
        if (this.#timeout > 0) s.setTimeout(this.#timeout);
        s.on('timeout', () => this.#fire('timeout'));
        s.on('close', () => this.destroy());
        resolve();
      };
      let s: net.Socket;
      if (o.tls) {
        tlsConnects.push(target);
        s = tls.connect({ ...target, ...(net.isIP(target.host) ? {} : { servername: target.host }), rejectUnauthorized: tlsConfig.rejectUnauthorized, ...(tlsConfig.ca !== undefined ? { ca: tlsConfig.ca } : {}) }, ready);
      } else {
        s = net.connect(target, ready);
      }
      s.once('error', onError);
      this.#socket = s;
    });
  }

  write(data: string | ArrayBuffer, options: { encoding?: string; tags?: Record<string, string> } = {}): Promise<void> {
    const s = this.#socket;
    if (s === undefined || this.ready_state !== 'open') return Promise.reject(Object.assign(new Error('TCP error during write: no active connection'), { name: 'TCPError' }));
    let bytes: Buffer;
    if (typeof data === 'string') {
      const encoding = (options.encoding ?? '').toLowerCase();
      if (!ENCODINGS.has(encoding)) return Promise.reject(new Error(`TCP error during write: unsupported encoding "${options.encoding}"`));
      bytes = encoding === '' || encoding === 'ascii' || encoding === 'utf-8' ? Buffer.from(data, 'utf8') : Buffer.from(data, encoding as BufferEncoding);
      const id = /X-Mailstorm-Id: (\S+)/.exec(data)?.[1];
      const to = /^To: <([^>]+)>/m.exec(data)?.[1];
      if (id && to) sentIds.push({ id, to, at: Date.now() });
    } else if (data instanceof ArrayBuffer) {
      bytes = Buffer.from(data);
    } else {
      return Promise.reject(new Error('TCP error during write: String or ArrayBuffer expected'));
    }
    return new Promise((resolve, reject) => s.write(bytes, (e) => (e ? reject(e) : resolve())));
  }

  setTimeout(ms: number): this {
    this.#timeout = ms;
    if (this.ready_state === 'open') this.#socket?.setTimeout(ms);
    return this;
  }

  destroy(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.ready_state = 'destroyed';
    this.#socket?.destroy();
    this.#fire('close');
  }
}
