// The main thread's side of `--workers`: one worker thread per execution segment of an even
// sequence (0, 1/N, ..., 1). Workers' batches go to the run's single owners: metrics merged
// exactly into the registry, ledger operations applied in order, events and figures recorded,
// iteration errors tallied. A worker that crashes is a counted error naming its segment; its
// share of the load is missing, which the run reports. Every worker is terminated by close().
import type { Worker } from 'node:worker_threads';
import { startThread } from '../../engine/threads/start-thread.ts';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import type { ExecutionSegment } from '../../engine/executors/execution-segment.ts';
import { segmentString, sequenceString } from '../../engine/executors/execution-segment.ts';
import type { EventLog } from '../../engine/events.ts';
import type { Figure } from '../../engine/figures.ts';
import { applyLedgerOps } from '../../engine/ledger/relay.ts';
import type { Ledger } from '../../engine/ledger/types.ts';
import type { MetricsRegistry } from '../../engine/metrics/registry.ts';
import type { ErrorTally } from '../run/error-tally.ts';
import type { FlowCounter } from '../run/flow-counter.ts';
import type { WorkerRig } from '../rig/types.ts';
import type { FromWorker, ToWorker, WireError, WorkerBatch, WorkerInit } from './protocol.ts';

export interface PoolParts {
  sequence: readonly ExecutionSegment[];
  /** WorkerInit without the per-worker fields */
  init: Omit<WorkerInit, 'segment' | 'sequence' | 'idPrefix'>;
  /** prefix of ledger ids; each worker adds its index */
  idPrefix: string;
  metrics: MetricsRegistry;
  ledger: Ledger;
  expand?: (address: string) => readonly string[] | undefined;
  events: EventLog;
  figures: Record<string, Figure>;
  errors: ErrorTally;
  counter: FlowCounter;
  /** told once per worker that died before finishing its segment */
  onCrash(segment: string, message: string): void;
}

const WORKER_MAIN = new URL('./worker-main.ts', import.meta.url);

// Worker threads of this process not yet exited: tests check that none outlives its run.
let live = 0;

export function liveWorkerThreads(): number {
  return live;
}

/** An Error the run's tally files under WorkerCrash (or the iteration error's own kind). */
function tallied(e: Partial<WireError> & { message: string }): Error {
  const error = new Error(e.message);
  if (e.name) error.name = e.name;
  return Object.assign(error, e.code ? { code: e.code } : {}, e.responseCode !== undefined ? { responseCode: e.responseCode } : {});
}

class SegmentWorker {
  readonly worker: Worker;
  activeVUs = 0;
  iterations = 0;
  finished = false;
  crashed?: string;
  eventLoopDelayP99Ms = 0;
  eventLoopDelayMaxMs = 0;
  #eluStart?: EventLoopUtilization;
  #elu?: EventLoopUtilization;
  #wallStart = 0;
  #wallMs = 0;
  readonly ready: Promise<void>;
  readonly ended: Promise<void>;

  constructor(readonly segment: string, init: WorkerInit, private readonly parts: PoolParts) {
    this.worker = startThread(WORKER_MAIN, { workerData: init, stdout: false, stderr: false });
    live++;
    let markReady!: () => void;
    this.ready = new Promise((resolve) => { markReady = resolve; });
    this.ended = new Promise((resolve) => {
      this.worker.on('message', (message: FromWorker) => {
        if (message.type === 'ready') markReady();
        else if (message.type === 'failed') this.#crash(`could not start: ${message.message}`);
        else this.#batch(message);
        if (this.finished || this.crashed) { markReady(); resolve(); }
      });
      this.worker.on('error', (error) => this.#crash(error.message));
      this.worker.on('exit', (code) => {
        live--;
        if (!this.finished) this.#crash(`exited with code ${code} before finishing`);
        markReady();
        resolve();
      });
    });
  }

  send(message: ToWorker): void {
    if (this.finished || this.crashed) return;
    if (message.type === 'start') {
      this.#eluStart = this.worker.performance.eventLoopUtilization();
      this.#wallStart = performance.now();
    }
    this.worker.postMessage(message);
  }

  rig(): WorkerRig {
    const rig: WorkerRig = {
      segment: this.segment,
      cpuShare: this.#wallMs > 0 ? Math.round(Math.min(1, (this.#elu?.active ?? 0) / this.#wallMs) * 1000) / 1000 : 0,
      eventLoopDelayP99Ms: this.eventLoopDelayP99Ms,
      eventLoopDelayMaxMs: this.eventLoopDelayMaxMs,
      iterations: this.iterations,
      windowMs: Math.round(this.#wallMs),
    };
    if (this.crashed) rig.crashed = this.crashed;
    return rig;
  }

  #sampleCpu(): void {
    if (!this.#eluStart) return;
    // Busy time of the worker's loop over wall time since start: its share of one core.
    this.#elu = this.worker.performance.eventLoopUtilization(this.#eluStart);
    this.#wallMs = performance.now() - this.#wallStart;
  }

  #batch(b: WorkerBatch): void {
    const p = this.parts;
    this.#sampleCpu();
    for (const d of b.declarations) p.metrics.declare(d.name, d.declaration);
    for (const r of b.metrics) p.metrics.absorb(r);
    applyLedgerOps(p.ledger, b.ledger, p.expand);
    for (const [type, data] of b.events) p.events.record(type, { ...data, segment: this.segment });
    for (const [name, figure] of b.figures) p.figures[name] = figure;
    for (const e of b.errors) p.errors.add(tallied(e), e.count);
    for (const [flow, n] of Object.entries(b.flows)) {
      this.iterations += n;
      p.counter.inc(flow, n);
    }
    this.activeVUs = b.activeVUs;
    this.eventLoopDelayP99Ms = b.eventLoopDelayP99Ms;
    this.eventLoopDelayMaxMs = b.eventLoopDelayMaxMs;
    if (b.final) this.finished = true;
  }

  #crash(message: string): void {
    if (this.finished || this.crashed) return;
    this.crashed = message;
    this.activeVUs = 0;
    const error = tallied({ name: 'WorkerCrash', message: `worker thread for execution segment ${this.segment} crashed: ${message}` });
    this.parts.errors.add(error);
    this.parts.onCrash(this.segment, message);
  }
}

export class WorkerPool {
  readonly #workers: SegmentWorker[];

  constructor(parts: PoolParts) {
    const sequence = sequenceString(parts.sequence);
    this.#workers = parts.sequence.map((s, i) => {
      const segment = segmentString(s);
      return new SegmentWorker(segment, { ...parts.init, segment, sequence, idPrefix: `${parts.idPrefix}w${i}` }, parts);
    });
  }

  /** Resolves once every worker has loaded the scenario (or failed to). */
  async ready(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.ready));
  }

  /** Starts every ready worker's executors; resolves when all have finished or died. */
  start(): Promise<void> {
    for (const w of this.#workers) w.send({ type: 'start' });
    return Promise.all(this.#workers.map((w) => w.ended)).then(() => undefined);
  }

  activeVUs(): number {
    return this.#workers.reduce((sum, w) => sum + w.activeVUs, 0);
  }

  stop(reason: string): void {
    for (const w of this.#workers) w.send({ type: 'stop', reason });
  }

  rig(): WorkerRig[] {
    return this.#workers.map((w) => w.rig());
  }

  /** Terminates every worker thread still running; safe to call more than once. */
  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.worker.terminate()));
  }
}
