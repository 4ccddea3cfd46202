// What a flow gets inside a worker thread: its own protocol clients connecting to the
// endpoints directly, and stand-ins for the main thread's single owners (ledger, events,
// figures) that batch what the flow tells them. What only the main thread has (the stack,
// the ledger's reads, the event log's contents) throws an error naming it.
import { systemClock } from '../../engine/clock.ts';
import { seededRandom } from '../../engine/random.ts';
import type { EventLog, RunEvent } from '../../engine/events.ts';
import type { Figure } from '../../engine/figures.ts';
import { RelayLedger } from '../../engine/ledger/relay.ts';
import { BatchingSink } from '../../engine/metrics/wire.ts';
import { createSmtpClient } from '../../engine/clients/smtp-client.ts';
import { createImapConnector } from '../../engine/clients/imap-client.ts';
import { createHttpClient } from '../../engine/clients/http-client.ts';
import { httpsTargets } from '../../engine/clients/tls.ts';
import type { Stack } from '../../stack/types.ts';
import type { RunContext } from '../scenario/types.ts';
import type { WorkerInit } from './protocol.ts';

function mainThreadOnly(what: string): Error {
  return new Error(`${what} is main-thread-only: a flow that needs it cannot be in the scenario's workerFlows`);
}

/** Events a worker's flows record, sent to the run's event log with the next batch. */
export class RelayEvents implements EventLog {
  #pending: [string, Record<string, unknown>][] = [];
  constructor(private readonly startedAt: number) {}
  record(type: string, data: Record<string, unknown> = {}): RunEvent {
    this.#pending.push([type, data]);
    return { ...data, t: Math.round(systemClock.now() - this.startedAt), type };
  }
  all(): readonly RunEvent[] {
    throw mainThreadOnly('ctx.events.all()');
  }
  drain(): [string, Record<string, unknown>][] {
    const out = this.#pending;
    this.#pending = [];
    return out;
  }
}

/** ctx.stack in a worker: the directory's addresses, and an error for everything else. */
function stackView(init: WorkerInit): Stack {
  const addresses = init.addresses;
  const index = new Map(addresses?.map((a, i) => [a.toLowerCase(), i]));
  const directory = addresses && {
    /** Only the address and the password (as they were when the load started). */
    user(address: string): { address: string; password: string } | undefined {
      const i = index.get(address.toLowerCase());
      const password = i === undefined ? undefined : init.passwords?.[i];
      return i === undefined || password === undefined ? undefined : { address: addresses[i] as string, password };
    },
    userCount: addresses.length,
    addressAt(index: number): string {
      const address = addresses[index];
      if (address === undefined) throw new RangeError(`no account ${index}; the population has ${addresses.length}`);
      return address;
    },
  };
  const known: Record<string, unknown> = { directory, endpoints: init.endpoints };
  return new Proxy(known, {
    get(target, prop) {
      if (typeof prop === 'symbol' || prop === 'then') return undefined;
      if (prop in target) return target[prop];
      if (prop === 'directory') return undefined;
      throw mainThreadOnly(`ctx.stack.${prop}`);
    },
  }) as unknown as Stack;
}

export interface WorkerParts {
  ctx: RunContext<Record<string, unknown>>;
  metrics: BatchingSink;
  ledger: RelayLedger;
  events: RelayEvents;
  figures: [string, Figure][];
  close(): Promise<void>;
}

export function buildWorkerContext(init: WorkerInit, signal: AbortSignal): WorkerParts {
  const clock = systemClock;
  // `vus` has one writer, the main thread, which adds up every worker's VUs.
  const metrics = new BatchingSink(() => Math.max(0, Math.floor((clock.now() - init.startedAt) / 1000)), new Set(['vus']));
  const ledger = new RelayLedger();
  const events = new RelayEvents(init.startedAt);
  const figures: [string, Figure][] = [];
  const endpoints = init.endpoints;
  const smtp = createSmtpClient({ endpoints, ledger, metrics, clock, idPrefix: init.idPrefix });
  const imap = createImapConnector({ endpoints, metrics, clock });
  const http = createHttpClient({ metrics, clock, tls: httpsTargets(endpoints) });
  const ctx: RunContext<Record<string, unknown>> = {
    params: init.params,
    clock,
    simClock: clock,
    // Each segment draws from its own stream of the run's seed: reproducible per worker.
    random: seededRandom(init.seed).fork(`worker ${init.segment}`),
    signal,
    metrics,
    ledger,
    events,
    stack: stackView(init),
    endpoints,
    smtp,
    imap,
    http,
    figure: (name, figure) => {
      figures.push([name, figure]);
    },
    unmeasured: () => {
      throw new Error('ctx.unmeasured() is for setup, monitor and finish, which run on the main thread');
    },
  };
  return {
    ctx, metrics, ledger, events, figures,
    close: async () => {
      await Promise.allSettled([Promise.resolve(smtp.close()), http.close()]);
    },
  };
}
