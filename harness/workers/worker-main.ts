// A worker thread of `--workers`: loads the scenario module itself, runs its executors for
// one execution segment (k6's striping, engine/executors/execution-segment.ts) and sends
// what its flows recorded to the main thread in batches. Started through engine/threads/boot.js (tsx loader).
import { parentPort, workerData } from 'node:worker_threads';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { errorMessage } from '../../engine/errors.ts';
import { ExecutionTuple, parseExecutionSegment, parseExecutionSegmentSequence } from '../../engine/executors/execution-segment.ts';
import { runExecutors } from '../../engine/executors/index.ts';
import type { IterationFn } from '../../engine/executors/types.ts';
import { checkScenarioShape } from '../scenario/load.ts';
import { BATCH_MS, type FromWorker, type ToWorker, type WireError, type WorkerInit } from './protocol.ts';
import { buildWorkerContext } from './worker-context.ts';
import { smtpForFlow } from '../run/context.ts';

const init = workerData as WorkerInit;
const port = parentPort;
const post = (message: FromWorker) => port?.postMessage(message);

/** Iteration errors of one batch, folded by what the main thread's tally tells apart. */
class ErrorBatch {
  #byKey = new Map<string, WireError>();
  add(error: unknown): void {
    const e = (typeof error === 'object' && error !== null ? error : {}) as { name?: unknown; code?: unknown; responseCode?: unknown };
    const wire: WireError = { message: errorMessage(error), count: 1 };
    if (typeof e.name === 'string') wire.name = e.name;
    if (typeof e.code === 'string') wire.code = e.code;
    if (typeof e.responseCode === 'number') wire.responseCode = e.responseCode;
    const key = `${wire.name}|${wire.code}|${wire.responseCode}`;
    const seen = this.#byKey.get(key);
    if (seen) seen.count++;
    else this.#byKey.set(key, wire);
  }
  drain(): WireError[] {
    const out = [...this.#byKey.values()];
    this.#byKey.clear();
    return out;
  }
}

const delayMs = (ns: number) => Math.max(0, Math.round((ns / 1e6 - 10) * 1000) / 1000);

async function main(): Promise<void> {
  if (!port) throw new Error('worker-main.ts runs only as a worker thread');
  const mod = (await import(init.moduleUrl)) as { default?: unknown };
  const def = checkScenarioShape(mod.default, init.moduleUrl);
  const segment = new ExecutionTuple(parseExecutionSegment(init.segment), parseExecutionSegmentSequence(init.sequence));
  const stop = new AbortController();
  const parts = buildWorkerContext(init, stop.signal);
  const errors = new ErrorBatch();
  let flowCounts: Record<string, number> = {};
  const flows: Record<string, IterationFn> = {};
  for (const config of Object.values(init.scenarios)) {
    const name = config.exec as string;
    const flow = def.flows[name];
    if (!flow) throw new Error(`the scenario has no flow named "${name}"`);
    flows[name] = (it) => {
      flowCounts[it.flow] = (flowCounts[it.flow] ?? 0) + 1;
      return flow({ ...parts.ctx, smtp: smtpForFlow(parts.ctx.smtp, it.flow), signal: it.signal, data: init.data, scenario: it.scenario, flow: it.flow, vu: it.vu, iteration: it.iteration });
    };
  }
  const started = new Promise<void>((resolve) => {
    port.on('message', (message: ToWorker) => {
      if (message.type === 'start') resolve();
      else stop.abort(new Error(message.reason));
    });
  });
  post({ type: 'ready' });
  await started;

  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const handle = runExecutors(init.scenarios, {
    flows, clock: parts.ctx.clock, metrics: parts.metrics, signal: stop.signal, segment,
    onIterationError: (info) => errors.add(info.error),
  });
  const send = (final: boolean) => {
    const { records, declarations } = parts.metrics.drain();
    const counts = flowCounts;
    flowCounts = {};
    post({
      type: 'batch', metrics: records, declarations, ledger: parts.ledger.drain(), events: parts.events.drain(),
      figures: parts.figures.splice(0), errors: errors.drain(), flows: counts, activeVUs: final ? 0 : handle.activeVUs(),
      eventLoopDelayP99Ms: delay.count ? delayMs(delay.percentile(99)) : 0, eventLoopDelayMaxMs: delay.count ? delayMs(delay.max) : 0, final,
    });
  };
  const timer = setInterval(() => send(false), BATCH_MS);
  await handle.done;
  clearInterval(timer);
  await parts.close();
  delay.disable();
  send(true);
  port.close();
}

main().catch((error: unknown) => post({ type: 'failed', message: errorMessage(error) }));
