// The few Toxiproxy operations a timeline needs, done only through toxiproxy-node-client so
// the same code drives a real Toxiproxy server and the embedded one. Toxic names are the
// timeline's; the API sees them with mailstorm's prefix (chaos/names.ts).
import { Toxiproxy } from 'toxiproxy-node-client';
import { StackError } from '../engine/errors.ts';
import type { ToxicBody } from './actions.ts';
import { toxiproxyToxicName } from './names.ts';
import { cleanCommand } from './clean.ts';
import { isConflict } from './api-status.ts';

export class ToxiproxyApi {
  readonly #client: Toxiproxy;
  readonly #url: string;

  constructor(url: string) {
    this.#url = url.replace(/\/+$/, '');
    this.#client = new Toxiproxy(this.#url);
  }

  async addToxic(toxic: ToxicBody): Promise<Record<string, unknown>> {
    const proxy = await this.#client.get(toxic.proxy);
    const name = toxiproxyToxicName(toxic.name);
    try {
      const created = await proxy.addToxic({
        name, type: toxic.type as never, stream: toxic.stream, toxicity: toxic.toxicity, attributes: toxic.attributes,
      });
      return created.attributes as Record<string, unknown>;
    } catch (error) {
      if (isConflict(error)) throw leftoverToxic(this.#url, toxic.proxy, name);
      throw error;
    }
  }

  /** Merges attributes into the live toxic (Toxiproxy updates in place: open connections see it). */
  async updateToxic(proxyName: string, name: string, change: { attributes?: Record<string, number>; toxicity?: number }): Promise<Record<string, unknown>> {
    const proxy = await this.#client.get(proxyName);
    const toxic = await proxy.getToxic<Record<string, number>>(toxiproxyToxicName(name));
    const updated = await toxic.update({
      ...toxic.toJson(),
      attributes: { ...toxic.attributes, ...change.attributes },
      toxicity: change.toxicity ?? toxic.toxicity,
    });
    return updated.attributes;
  }

  async removeToxic(proxyName: string, name: string): Promise<void> {
    const proxy = await this.#client.get(proxyName);
    const toxic = await proxy.getToxic(toxiproxyToxicName(name));
    await toxic.remove();
  }

  /** Sets enabled; returns whether it was enabled before. */
  async setEnabled(proxyName: string, enabled: boolean): Promise<boolean> {
    const proxy = await this.#client.get(proxyName);
    if (proxy.enabled !== enabled) await proxy.update({ enabled, listen: proxy.listen, upstream: proxy.upstream });
    return proxy.enabled;
  }
}

/**
 * A 409 on add: a toxic of that name is already there. mailstorm removes its toxics on every
 * exit it gets to see, so one still there was left by a run that was killed outright.
 */
function leftoverToxic(url: string, proxy: string, name: string): StackError {
  return new StackError(
    `Toxiproxy at ${url} already has a toxic "${name}" on proxy "${proxy}" (409 Conflict). ` +
      `Toxics named mailstorm-* are mailstorm's own, so this one is a leftover of an earlier mailstorm run that was killed ` +
      `before it could roll back (SIGKILL, out of memory, a lost machine). Remove mailstorm's leftovers, and only those, with: ` +
      `${cleanCommand(url)} (unless another mailstorm run is using this Toxiproxy right now)`,
  );
}
