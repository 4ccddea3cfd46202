// The embedded stack's fault proxy: on a thread of its own where the machine has more than
// one core (every proxied byte crosses it twice, and the load generator's thread is the
// busiest of the run), else on the main thread.
import { availableParallelism } from 'node:os';
import type { EventLog } from '../../engine/events.ts';
import type { Random } from '../../engine/random.ts';
import { FakeToxiproxy, type StartedFakeToxiproxy } from '../../fakes/toxiproxy/index.ts';
import { startFaultProxyThread } from '../../fakes/toxiproxy/thread.ts';

export type EmbeddedFaultProxy = StartedFakeToxiproxy & { threadId?: number };

export async function startFaultProxy(random: Random, port: number | undefined, events: EventLog, cores = availableParallelism()): Promise<EmbeddedFaultProxy> {
  const seeded = random.fork('toxiproxy');
  if (cores < 2) return new FakeToxiproxy({ random: seeded, ...(port !== undefined && { port }) }).start();
  const proxy = await startFaultProxyThread({ seed: seeded.int(0, 0xffffffff), ...(port !== undefined && { port }) });
  // Every proxied connection fails once the thread is gone: the run's events say why.
  void proxy.exited.then(({ unexpected }) => {
    if (unexpected) events.record('stack.fault_proxy_failed', { reason: unexpected });
  });
  return proxy;
}
