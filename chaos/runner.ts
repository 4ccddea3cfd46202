// Plays a validated timeline against Toxiproxy on the run's clock, records every change
// (ChaosEvent + a 'fault' event in the run's EventLog), and guarantees rollback: the toxics
// this run added are removed and the proxies it disabled re-enabled, never POST /reset
// (a shared Toxiproxy carries other users' proxies).
import type { Clock } from '../engine/clock.ts';
import type { EventLog } from '../engine/events.ts';
import { InputError, StackError, errorMessage } from '../engine/errors.ts';
import type { ProxyInfo } from '../stack/types.ts';
import type { ChaosEvent, Timeline } from './types.ts';
import type { ChaosAction } from './actions.ts';
import { validateTimeline } from './validate.ts';
import { ChaosJournal } from './journal.ts';
import { ToxiproxyApi } from './toxiproxy-api.ts';
import { isNotFound } from './api-status.ts';

export interface ChaosOptions {
  toxiproxyUrl: string;
  /** The stack's proxies; timeline targets may use a key or a proxy name. Empty: names are not checked. */
  proxies: Record<string, ProxyInfo>;
  clock: Clock;
  events: EventLog;
  /** Aborting stops the timeline (done resolves); it does not roll back by itself. */
  signal: AbortSignal;
  onChange?: (event: ChaosEvent) => void;
}

export interface ChaosRun {
  /** Every change made so far, in order (the array grows while the timeline plays). */
  events: ChaosEvent[];
  /** Resolves when the timeline finished or was aborted; rejects (after rolling back) if a step failed. */
  done: Promise<void>;
  /** Stops the timeline and undoes this run's changes. Idempotent; safe at any time. */
  rollback(): Promise<void>;
}

/**
 * Sleeps on the run's clock; false when aborted. A per-sleep signal keeps a clock that leaves
 * its abort listener behind from piling listeners onto the run's signal.
 */
async function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  const local = new AbortController();
  const forward = () => local.abort();
  signal.addEventListener('abort', forward, { once: true });
  try {
    await clock.sleep(ms, local.signal);
    return true;
  } catch {
    return false;
  } finally {
    signal.removeEventListener('abort', forward);
  }
}

/** Throws InputError at once if the timeline is invalid or names an unknown proxy. */
export function startChaos(timeline: Timeline, options: ChaosOptions): ChaosRun {
  const names = [...new Set([...Object.keys(options.proxies), ...Object.values(options.proxies).map((p) => p.name)])];
  const actions = validateTimeline(timeline, names.length > 0 ? names : undefined);
  const proxyName = (target: string) => options.proxies[target]?.name ?? target;
  const api = new ToxiproxyApi(options.toxiproxyUrl);
  const journal = new ChaosJournal();
  const events: ChaosEvent[] = [];
  const stop = new AbortController();
  const signal = AbortSignal.any([options.signal, stop.signal]);
  let inflight: Promise<unknown> = Promise.resolve();
  let rollingBack: Promise<void> | undefined;

  const record = (change: Omit<ChaosEvent, 't'>) => {
    const logged = options.events.record('fault', { ...change });
    const event: ChaosEvent = { ...change, t: logged.t };
    events.push(event);
    options.onChange?.(event);
  };

  const apply = async (action: ChaosAction): Promise<void> => {
    const target = proxyName(action.proxy);
    const step = action.step;
    try {
      switch (action.op) {
        case 'add': {
          const toxic = action.toxic!;
          const attributes = await api.addToxic({ ...toxic, proxy: target });
          journal.added(target, toxic.name, toxic.type);
          record({ action: 'add', target, toxic: toxic.name, type: toxic.type, attributes, stream: toxic.stream, toxicity: toxic.toxicity, step });
          break;
        }
        case 'update': {
          const change = { ...(action.attributes ? { attributes: action.attributes } : {}), ...(action.toxicity !== undefined ? { toxicity: action.toxicity } : {}) };
          const attributes = await api.updateToxic(target, action.toxicName!, change);
          record({ action: 'update', target, toxic: action.toxicName!, attributes, ...(action.toxicity !== undefined ? { toxicity: action.toxicity } : {}), step });
          break;
        }
        case 'remove':
          await api.removeToxic(target, action.toxicName!);
          journal.removed(target, action.toxicName!);
          record({ action: 'remove', target, toxic: action.toxicName!, step });
          break;
        case 'disable':
          if (await api.setEnabled(target, false)) journal.disabled(target);
          record({ action: 'disable', target, step });
          break;
        case 'enable':
          await api.setEnabled(target, true);
          journal.enabled(target);
          record({ action: 'enable', target, step });
          break;
      }
    } catch (error) {
      const what = `${action.op}${action.toxic ? ` ${action.toxic.name}` : action.toxicName ? ` ${action.toxicName}` : ''} on proxy "${target}"`;
      throw new StackError(`chaos timeline[${step}] (${what}) failed: ${errorMessage(error)}`);
    }
  };

  const undo = async (): Promise<void> => {
    const failures: string[] = [];
    let removed = 0;
    let enabled = 0;
    for (const toxic of journal.toxics()) {
      try {
        await api.removeToxic(toxic.proxy, toxic.name);
        record({ action: 'remove', target: toxic.proxy, toxic: toxic.name, type: toxic.type });
        removed++;
        journal.removed(toxic.proxy, toxic.name);
      } catch (error) {
        if (isNotFound(error)) journal.removed(toxic.proxy, toxic.name); // already gone
        else failures.push(`remove ${toxic.name} from ${toxic.proxy}: ${errorMessage(error)}`);
      }
    }
    for (const proxy of journal.disabledProxies()) {
      try {
        await api.setEnabled(proxy, true);
        record({ action: 'enable', target: proxy });
        enabled++;
        journal.enabled(proxy);
      } catch (error) {
        if (isNotFound(error)) journal.enabled(proxy);
        else failures.push(`enable ${proxy}: ${errorMessage(error)}`);
      }
    }
    if (removed + enabled > 0) record({ action: 'rollback', target: '*', attributes: { toxicsRemoved: removed, proxiesEnabled: enabled } });
    if (failures.length > 0) throw new StackError(`chaos rollback incomplete: ${failures.join('; ')}`);
  };

  const rollback = async (): Promise<void> => {
    stop.abort();
    await inflight.catch(() => {});
    // One rollback at a time; a later call retries whatever a failed one left behind.
    rollingBack ??= undo().finally(() => (rollingBack = undefined));
    await rollingBack;
  };

  const play = async (): Promise<void> => {
    const startedAt = options.clock.now();
    for (const action of actions) {
      const wait = startedAt + action.atMs - options.clock.now();
      if (wait > 0 && !(await sleep(options.clock, wait, signal))) return; // aborted
      if (signal.aborted) return;
      inflight = apply(action);
      await inflight;
    }
  };

  const done = play().catch(async (error: unknown) => {
    await rollback().catch(() => {});
    throw error instanceof InputError || error instanceof StackError ? error : new StackError(errorMessage(error));
  });
  return { events, done, rollback };
}
