// An embedded fault proxy that serves Toxiproxy 2.12's HTTP API, so the same chaos code
// (toxiproxy-node-client) drives it and a real Toxiproxy server alike.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type Random, seededRandom } from '../../engine/random.ts';
import { toxicKinds } from './toxics/registry.ts';
import { ProxyCollection } from './proxy-collection.ts';
import { apiRouter } from './api-router.ts';
import { loopbackListen } from './address.ts';

export interface FakeToxiproxyOptions {
  /** API host; loopback only. Default 127.0.0.1. */
  host?: string;
  /** API port; default 0 (any free port). Toxiproxy's own default is 8474. */
  port?: number;
  /** Decides toxicity rolls, jitter and slice sizes. Default: seeded with 1. */
  random?: Random;
}

export interface StartedFakeToxiproxy extends AsyncDisposable {
  host: string;
  port: number;
  /** API base URL, e.g. http://127.0.0.1:8474 */
  url: string;
  stop(): Promise<void>;
}

export class FakeToxiproxy {
  readonly #options: FakeToxiproxyOptions;

  constructor(options: FakeToxiproxyOptions = {}) {
    this.#options = options;
  }

  async start(): Promise<StartedFakeToxiproxy> {
    const { host, port } = loopbackListen(`${this.#options.host ?? '127.0.0.1'}:${this.#options.port ?? 0}`);
    const random = this.#options.random ?? seededRandom(1);
    const proxies = new ProxyCollection(toxicKinds(random.fork('toxics')), random.fork('proxies'));
    const route = apiRouter(proxies);
    const sockets = new Set<Socket>();
    const server = http.createServer((req, res) => void route(req, res));
    server.on('connection', (s) => {
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const bound = server.address() as AddressInfo;
    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        await proxies.stopAll();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const s of sockets) s.destroy(); // keep-alive API clients must not hold the server open
        await closed;
      })());
    return {
      host: bound.address,
      port: bound.port,
      url: `http://${bound.address}:${bound.port}`,
      stop,
      [Symbol.asyncDispose]: stop,
    };
  }
}
