import { Toxiproxy } from 'toxiproxy-node-client';
import { FakeToxiproxy } from '../../fakes/toxiproxy/index.ts';
import { ManualClock } from '../../engine/clock.ts';
import { MemoryEventLog } from '../../engine/events.ts';
import type { ProxyInfo } from '../../stack/types.ts';
import { echoServer } from '../fakes-toxiproxy/helpers.ts';

/** Polls `condition` every 10 ms for at most `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited >= timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * A fault proxy with two proxies of this run ("smtp", "imap") in front of an echo server, and
 * one of another user ("other") that carries its own toxic and is disabled.
 */
export async function chaosRig() {
  const fake = await new FakeToxiproxy().start();
  const echo = await echoServer();
  const client = new Toxiproxy(fake.url);
  const proxies: Record<string, ProxyInfo> = {};
  for (const name of ['smtp', 'imap']) {
    const p = await client.createProxy({ name, listen: '127.0.0.1:0', upstream: echo.address });
    proxies[name] = { name, listen: { host: '127.0.0.1', port: Number(p.listen.split(':')[1]) }, upstream: { host: '127.0.0.1', port: echo.port } };
  }
  const other = await client.createProxy({ name: 'other', listen: '127.0.0.1:0', upstream: echo.address });
  await other.addToxic({ name: 'theirs', type: 'latency', stream: 'upstream', toxicity: 1, attributes: { latency: 5, jitter: 0 } });
  await other.update({ enabled: false, listen: other.listen, upstream: other.upstream });
  const clock = new ManualClock(1_000_000);
  const events = new MemoryEventLog(clock.now(), () => clock.now());
  /** Toxic names and enabled flag per proxy, as the API reports them. */
  const state = async () => {
    const all = await client.getAll();
    const out: Record<string, { enabled: boolean; toxics: string[] }> = {};
    for (const [name, p] of Object.entries(all)) {
      const toxics = (await (await fetch(`${fake.url}/proxies/${name}/toxics`)).json()) as { name: string }[];
      out[name] = { enabled: p.enabled, toxics: toxics.map((x) => x.name) };
    }
    return out;
  };
  return {
    fake, client, proxies, clock, events, state, echo,
    [Symbol.asyncDispose]: async () => {
      await fake.stop();
      await echo.stop();
    },
  };
}

export const CLEAN = {
  smtp: { enabled: true, toxics: [] },
  imap: { enabled: true, toxics: [] },
  other: { enabled: false, toxics: ['theirs'] },
};
