// All proxies of one fault-proxy server, keyed by name, with Toxiproxy's create,
// populate, delete and reset rules.
import type { Random } from '../../engine/random.ts';
import type { ToxicKind } from './types.ts';
import { ToxicProxy } from './proxy.ts';
import { foldFields } from './json-fields.ts';
import { ApiError, badRequestBody, missingField, proxyAlreadyExists, proxyNotFound } from './api-error.ts';

export class ProxyCollection {
  readonly #proxies = new Map<string, ToxicProxy>();
  #created = 0;

  constructor(private readonly kinds: ReadonlyMap<string, ToxicKind>, private readonly random: Random) {}

  all(): ToxicProxy[] {
    return [...this.#proxies.values()];
  }

  get(name: string): ToxicProxy {
    const proxy = this.#proxies.get(name);
    if (!proxy) throw proxyNotFound();
    return proxy;
  }

  async create(body: unknown): Promise<ToxicProxy> {
    const input = proxyInput(body);
    if (this.#proxies.has(input.name)) throw proxyAlreadyExists();
    const proxy = new ToxicProxy(input.name, input.listen, input.upstream, this.kinds, this.random.fork(`proxy-${++this.#created}`));
    // Claim the name before binding, so two concurrent creates cannot both succeed.
    this.#proxies.set(input.name, proxy);
    try {
      if (input.enabled) await proxy.start();
    } catch (error) {
      this.#proxies.delete(input.name);
      throw error;
    }
    return proxy;
  }

  /**
   * Creates or replaces each proxy in the list; one whose listen (the bound address, as
   * Toxiproxy compares it) and upstream did not change is kept as it is. "127.0.0.1:0" or no
   * listen never equals a bound address, so such a proxy is replaced: new port, no toxics,
   * live connections cut. On an error, the proxies handled so far are returned with it.
   */
  async populate(body: unknown): Promise<{ proxies: ToxicProxy[]; error?: ApiError }> {
    const list = Array.isArray(body) ? body : isRecord(body) && Array.isArray(body.proxies) ? body.proxies : undefined;
    const done: ToxicProxy[] = [];
    if (!list) return { proxies: done, error: badRequestBody('expected a JSON array of proxies') };
    try {
      for (const item of list) {
        const input = proxyInput(item);
        const existing = this.#proxies.get(input.name);
        if (existing) {
          if (input.listen === existing.listen && input.upstream === existing.upstream) {
            done.push(existing);
            continue;
          }
          await this.remove(input.name);
        }
        done.push(await this.create(item));
      }
      return { proxies: done };
    } catch (error) {
      if (error instanceof ApiError) return { proxies: done, error };
      throw error;
    }
  }

  async remove(name: string): Promise<void> {
    const proxy = this.get(name);
    this.#proxies.delete(name);
    await proxy.stop();
  }

  /** Re-enables every proxy and removes every toxic. */
  async reset(): Promise<void> {
    for (const proxy of this.#proxies.values()) {
      await proxy.start();
      proxy.toxics.reset();
    }
  }

  async stopAll(): Promise<void> {
    for (const proxy of this.#proxies.values()) await proxy.stop();
    this.#proxies.clear();
  }
}

export const PROXY_FIELDS = ['name', 'listen', 'upstream', 'enabled'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function proxyInput(body: unknown): { name: string; listen?: string; upstream: string; enabled: boolean } {
  if (!isRecord(body)) throw badRequestBody('expected a JSON object');
  const { name, listen, upstream, enabled } = foldFields(body, PROXY_FIELDS);
  if (typeof name !== 'string' || name === '') throw missingField('name');
  if (typeof upstream !== 'string' || upstream === '') throw missingField('upstream');
  if (listen !== undefined && typeof listen !== 'string') throw badRequestBody('listen must be a string');
  if (enabled !== undefined && typeof enabled !== 'boolean') throw badRequestBody('enabled must be a boolean');
  return { name, upstream, enabled: enabled ?? true, ...(listen !== undefined ? { listen } : {}) };
}
