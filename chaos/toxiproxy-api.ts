// The few Toxiproxy operations a timeline needs, done only through toxiproxy-node-client so
// the same code drives a real Toxiproxy server and the embedded one.
import { Toxiproxy } from 'toxiproxy-node-client';
import type { ToxicBody } from './actions.ts';

export class ToxiproxyApi {
  readonly #client: Toxiproxy;

  constructor(url: string) {
    this.#client = new Toxiproxy(url.replace(/\/+$/, ''));
  }

  async addToxic(toxic: ToxicBody): Promise<Record<string, unknown>> {
    const proxy = await this.#client.get(toxic.proxy);
    const created = await proxy.addToxic({
      name: toxic.name, type: toxic.type as never, stream: toxic.stream, toxicity: toxic.toxicity, attributes: toxic.attributes,
    });
    return created.attributes as Record<string, unknown>;
  }

  /** Merges attributes into the live toxic (Toxiproxy updates in place: open connections see it). */
  async updateToxic(proxyName: string, name: string, change: { attributes?: Record<string, number>; toxicity?: number }): Promise<Record<string, unknown>> {
    const proxy = await this.#client.get(proxyName);
    const toxic = await proxy.getToxic<Record<string, number>>(name);
    const updated = await toxic.update({
      ...toxic.toJson(),
      attributes: { ...toxic.attributes, ...change.attributes },
      toxicity: change.toxicity ?? toxic.toxicity,
    });
    return updated.attributes;
  }

  async removeToxic(proxyName: string, name: string): Promise<void> {
    const proxy = await this.#client.get(proxyName);
    const toxic = await proxy.getToxic(name);
    await toxic.remove();
  }

  /** Sets enabled; returns whether it was enabled before. */
  async setEnabled(proxyName: string, enabled: boolean): Promise<boolean> {
    const proxy = await this.#client.get(proxyName);
    if (proxy.enabled !== enabled) await proxy.update({ enabled, listen: proxy.listen, upstream: proxy.upstream });
    return proxy.enabled;
  }
}

/** toxiproxy-node-client reports HTTP failures only as "Request failed with status code N". */
export function isNotFound(error: unknown): boolean {
  return error instanceof Error && /status code 404\b/.test(error.message);
}
