// One proxied TCP connection: the client socket, the upstream socket and a Link each way
// (upstream = client -> server, downstream = server -> client).
import net from 'node:net';
import type { Random } from '../../engine/random.ts';
import type { ToxicSet } from './toxic-set.ts';
import { Link } from './pipeline.ts';

export class ProxiedConnection {
  readonly #abort = new AbortController();
  #upstream: net.Socket | undefined;

  constructor(
    private readonly client: net.Socket,
    private readonly toxics: ToxicSet,
    private readonly random: Random,
    private readonly onDone: (c: ProxiedConnection) => void,
  ) {}

  /** Dials the upstream; the client (accepted paused) is closed if the upstream cannot be reached. */
  open(upstream: { host: string; port: number }): void {
    const client = this.client;
    // No Nagle on either side, as Go (and so Toxiproxy) sets TCP_NODELAY by default: forwarded
    // small writes (SMTP replies) go out at once.
    const server = net.connect({ host: upstream.host, port: upstream.port, allowHalfOpen: true, noDelay: true });
    this.#upstream = server;
    let closed = 0;
    const onClose = () => {
      if (++closed === 2) this.#finish();
    };
    for (const socket of [client, server]) {
      socket.on('error', () => this.destroy());
      socket.on('close', onClose);
    }
    server.once('connect', () => {
      if (this.#abort.signal.aborted) return;
      const signal = this.#abort.signal;
      new Link('upstream', client, server, this.toxics, this.random.fork('up'), this, signal).start();
      new Link('downstream', server, client, this.toxics, this.random.fork('down'), this, signal).start();
    });
  }

  /** Graceful close of both sides: what was already written is flushed first. */
  close(): void {
    this.#abort.abort();
    for (const socket of this.#sockets()) if (!socket.destroyed) socket.end(() => socket.destroy());
  }

  /** Both sides torn down with a TCP RST. */
  reset(): void {
    this.#abort.abort();
    for (const socket of this.#sockets()) {
      if (socket.destroyed) continue;
      if (socket.readyState === 'open' || socket.readyState === 'readOnly' || socket.readyState === 'writeOnly') socket.resetAndDestroy();
      else socket.destroy();
    }
  }

  /** Immediate teardown (proxy disabled or deleted, socket error). */
  destroy(): void {
    this.#abort.abort();
    for (const socket of this.#sockets()) socket.destroy();
  }

  #sockets(): net.Socket[] {
    return this.#upstream ? [this.client, this.#upstream] : [this.client];
  }

  #finish(): void {
    this.#abort.abort();
    this.onDone(this);
  }
}
