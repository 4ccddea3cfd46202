// The executors of a run with `--workers N`: the k6 scenarios whose flows may leave the main
// thread run in N worker threads (segments 0:1/N ... (N-1)/N:1 of an even sequence), the rest
// on the main thread; together they look like one ExecutionHandle to the load phase. The
// `vus` gauge has one writer here: main-thread VUs plus every worker's, once a second.
import type { Clock } from '../../engine/clock.ts';
import { evenSequence } from '../../engine/executors/execution-segment.ts';
import { runExecutors } from '../../engine/executors/index.ts';
import type { ExecutionHandle, ExecutorDeps } from '../../engine/executors/types.ts';
import type { EventLog } from '../../engine/events.ts';
import type { Figure } from '../../engine/figures.ts';
import type { Ledger } from '../../engine/ledger/types.ts';
import type { MetricsRegistry } from '../../engine/metrics/registry.ts';
import type { MetricsSink } from '../../engine/metrics/types.ts';
import type { Endpoints, Stack } from '../../stack/types.ts';
import type { ScenarioDefinition } from '../scenario/types.ts';
import type { ExecutorConfig } from '../../engine/options/types.ts';
import type { ErrorTally } from '../run/error-tally.ts';
import type { FlowCounter } from '../run/flow-counter.ts';
import type { WorkersRecord } from '../rig/types.ts';
import { WorkerPool } from './pool.ts';
import { placeScenarios } from './split.ts';

export interface SplitRunParts {
  workers: number;
  definition: ScenarioDefinition;
  scenarios: Record<string, ExecutorConfig>;
  params: Record<string, unknown>;
  timeCompression: number;
  moduleUrl?: string;
  seed: number;
  startedAt: number;
  data: unknown;
  stack: Stack;
  endpoints: Endpoints;
  clock: Clock;
  metrics: MetricsRegistry;
  ledger: Ledger;
  events: EventLog;
  figures: Record<string, Figure>;
  errors: ErrorTally;
  counter: FlowCounter;
  /** the main thread's executor deps (its flows, signal, error listener) */
  deps: ExecutorDeps;
  /** told when a worker dies: its segment's share of the load is missing */
  onCrash(segment: string, message: string): void;
}

export interface SplitRun extends ExecutionHandle {
  record(): WorkersRecord;
  /** Terminates every worker thread; safe to call more than once. */
  close(): Promise<void>;
}

/** Why nothing can leave the main thread in this run, if something rules it out. */
function blocker(p: SplitRunParts): string | undefined {
  if (p.moduleUrl === undefined) return 'the scenario was not loaded from a module a worker can import';
  if (p.timeCompression !== 1) return 'the scenario compresses time, and its simulated clock is main-thread-only';
  if (p.stack.lookup) return 'the stack pins its hosts with a DNS lookup that is main-thread-only';
  if (p.stack.auth) return 'the stack\'s account login (SASL mechanism, OAuth2 tokens) is main-thread-only';
  try {
    structuredClone(p.data);
  } catch {
    return 'what setup returned cannot be copied to a worker thread';
  }
  try {
    structuredClone(p.endpoints);
  } catch {
    return 'the stack\'s endpoints cannot be copied to a worker thread';
  }
  return undefined;
}

/** The directory's addresses and passwords by index: what a worker's ctx.stack.directory offers. */
function addressBook(directory: NonNullable<Stack['directory']>): { addresses: string[]; passwords: string[] } {
  const addresses = Array.from({ length: directory.userCount }, (_, i) => directory.addressAt(i));
  return { addresses, passwords: addresses.map((a) => directory.user(a)?.password ?? '') };
}

function withoutVus(metrics: MetricsSink): MetricsSink {
  return {
    declare: (n, d) => metrics.declare(n, d),
    count: (n, v, t) => metrics.count(n, v, t),
    rate: (n, ok, t) => metrics.rate(n, ok, t),
    gauge: (n, v, t) => { if (n !== 'vus') metrics.gauge(n, v, t); },
    trend: (n, v, t) => metrics.trend(n, v, t),
  };
}

/** Loads the scenario in every worker, then starts them and the main thread's executors together. */
export async function startSplitRun(p: SplitRunParts): Promise<SplitRun> {
  const placement = placeScenarios(p.definition, p.scenarios, blocker(p));
  const workerCount = Object.keys(placement.worker).length > 0 ? p.workers : 0;
  const directory = p.stack.directory;
  const pool = workerCount === 0 ? undefined : new WorkerPool({
    sequence: evenSequence(workerCount),
    init: {
      moduleUrl: p.moduleUrl as string, params: p.params, scenarios: placement.worker, data: p.data, seed: p.seed,
      endpoints: p.endpoints, startedAt: p.startedAt,
      ...(directory ? addressBook(directory) : {}),
    },
    // The main thread's clients number theirs `ms<time>.<n>`: a dash keeps the two apart.
    idPrefix: `ms-${Math.floor(p.startedAt).toString(36)}.`,
    metrics: p.metrics, ledger: p.ledger, events: p.events, figures: p.figures, errors: p.errors, counter: p.counter,
    ...(directory ? { expand: (a: string) => directory.expand(a) } : {}),
    onCrash: p.onCrash,
  });
  // A worker stuck loading the scenario cannot hold the run: the run's own stop (time limit,
  // Ctrl-C) ends the wait, and the load phase then stops everything.
  const signal = p.deps.signal;
  await Promise.race([pool?.ready(), new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  })]);
  const record = (): WorkersRecord => ({ requested: p.workers, threads: pool?.rig() ?? [], mainThread: placement.mainThread });
  p.events.record('workers', { requested: p.workers, threads: workerCount, mainThread: placement.mainThread.map((m) => `${m.scenario}: ${m.why}`) });

  const main = runExecutors(placement.main, { ...p.deps, metrics: withoutVus(p.deps.metrics) });
  const poolDone = pool?.start() ?? Promise.resolve();
  const activeVUs = () => main.activeVUs() + (pool?.activeVUs() ?? 0);
  const sampling = new AbortController();
  void (async () => {
    for (;;) {
      p.metrics.gauge('vus', activeVUs());
      try {
        await p.clock.sleep(1000, sampling.signal);
      } catch {
        return;
      }
    }
  })();
  const stop = (reason = 'stopped') => {
    main.stop(reason);
    pool?.stop(reason);
  };
  const onAbort = () => pool?.stop(p.deps.signal.reason instanceof Error ? p.deps.signal.reason.message : 'aborted');
  p.deps.signal.addEventListener('abort', onAbort, { once: true });
  const done = Promise.all([main.done, poolDone]).then(() => {
    sampling.abort();
    p.deps.signal.removeEventListener('abort', onAbort);
    p.metrics.gauge('vus', 0);
  });
  return { done, activeVUs, stop, record, close: async () => { await pool?.close(); } };
}
