// One named proxy: a loopback TCP listener that forwards to `upstream` through its toxics.
// Disabling closes the listener (new connections are refused) and cuts live connections.
import net from 'node:net';
import type { Random } from '../../engine/random.ts';
import type { ToxicKind } from './types.ts';
import { ToxicSet } from './toxic-set.ts';
import { ProxiedConnection } from './connection.ts';
import { type Address, formatAddress, loopbackListen, parseAddress } from './address.ts';
import { ApiError, badRequestBody } from './api-error.ts';

const UNRESOLVABLE = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EADDRNOTAVAIL']);

export interface ProxyConfig {
  name: string;
  listen?: string;
  upstream: string;
}

export class ToxicProxy {
  readonly toxics: ToxicSet;
  #listen: Address;
  #upstream: string;
  #server: net.Server | undefined;
  readonly #connections = new Set<ProxiedConnection>();
  #connectionCount = 0;

  constructor(readonly name: string, listen: string | undefined, upstream: string, kinds: ReadonlyMap<string, ToxicKind>, private readonly random: Random) {
    this.#listen = loopbackListen(listen);
    parseAddress(upstream, 'upstream');
    this.#upstream = upstream;
    this.toxics = new ToxicSet(kinds);
  }

  get listen(): string {
    return formatAddress(this.#listen);
  }

  get upstream(): string {
    return this.#upstream;
  }

  get enabled(): boolean {
    return this.#server !== undefined;
  }

  get connections(): number {
    return this.#connections.size;
  }

  async start(): Promise<void> {
    if (this.#server) return;
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true, noDelay: true }, (socket) => this.#accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#listen.port, this.#listen.host, () => {
        server.off('error', reject);
        resolve();
      });
    }).catch((error: NodeJS.ErrnoException) => {
      // A host that does not resolve or is not on this machine is the caller's mistake (400);
      // a port in use or a refused bind is the server's (500), as in Toxiproxy.
      const status = UNRESOLVABLE.has(error.code ?? '') ? 400 : 500;
      throw new ApiError(`listen tcp ${this.listen}: ${error.message}`, status);
    });
    const bound = server.address() as net.AddressInfo;
    this.#listen = { host: bound.address, port: bound.port };
    this.#server = server;
  }

  /** Stops listening and cuts every live connection. */
  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    for (const c of this.#connections) c.destroy();
    this.#connections.clear();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Applies listen/upstream/enabled as Toxiproxy's update does: an address change restarts the listener. */
  async update(input: { listen?: unknown; upstream?: unknown; enabled?: unknown }): Promise<void> {
    if (input.enabled !== undefined && typeof input.enabled !== 'boolean') throw badRequestBody('enabled must be a boolean');
    if (input.listen !== undefined && typeof input.listen !== 'string') throw badRequestBody('listen must be a string');
    if (input.upstream !== undefined && typeof input.upstream !== 'string') throw badRequestBody('upstream must be a string');
    const listen = typeof input.listen === 'string' ? input.listen : this.listen;
    const upstream = typeof input.upstream === 'string' ? input.upstream : this.#upstream;
    const enabled = typeof input.enabled === 'boolean' ? input.enabled : this.enabled;
    if (listen !== this.listen || upstream !== this.#upstream) {
      const address = loopbackListen(listen);
      parseAddress(upstream, 'upstream');
      await this.stop();
      this.#listen = address;
      this.#upstream = upstream;
    }
    if (enabled) await this.start();
    else await this.stop();
  }

  toJSON() {
    return { name: this.name, listen: this.listen, upstream: this.#upstream, enabled: this.enabled, toxics: this.toxics.list() };
  }

  #accept(socket: net.Socket): void {
    const connection = new ProxiedConnection(socket, this.toxics, this.random.fork(`connection-${++this.#connectionCount}`), (c) => this.#connections.delete(c));
    this.#connections.add(connection);
    connection.open(parseAddress(this.#upstream, 'upstream'));
  }
}
