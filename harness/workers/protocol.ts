// The messages between the main thread and the worker threads of `--workers`: one init, a
// start, then a batch every BATCH_MS from each worker (never one message per iteration),
// and a last batch marked final when its executors are done.
import type { Endpoints } from '../../engine/endpoints.ts';
import type { ExecutorConfig } from '../../engine/options/types.ts';
import type { Figure } from '../../engine/figures.ts';
import type { LedgerOp } from '../../engine/ledger/relay.ts';
import type { WireDeclaration, WireRecord } from '../../engine/metrics/wire.ts';

/** How often a worker sends what it has recorded. */
export const BATCH_MS = 200;

export interface WorkerInit {
  /** the module whose default export is the scenario */
  moduleUrl: string;
  /** this worker's segment in the sequence ("1/2:1") and the sequence ("0,1/2,1") */
  segment: string;
  sequence: string;
  /** validated scenario parameters */
  params: Record<string, unknown>;
  /** options.scenarios entries this worker runs (its flows are the scenario's workerFlows) */
  scenarios: Record<string, ExecutorConfig>;
  /** a structured clone of what setup returned */
  data: unknown;
  seed: number;
  endpoints: Endpoints;
  /** the directory's addresses, by index (stack.directory.addressAt in the worker) */
  addresses?: string[];
  /** each address's current password, by the same index (stack.directory.user(a).password) */
  passwords?: string[];
  /** epoch ms the run started: per-second points are counted from it */
  startedAt: number;
  /** prefix of this worker's ledger ids, unique in the run */
  idPrefix: string;
}

/** An iteration error, as the main thread's error tally sees it (kind from these fields). */
export interface WireError {
  name?: string;
  code?: string;
  responseCode?: number;
  message: string;
  count: number;
}

export interface WorkerBatch {
  type: 'batch';
  metrics: WireRecord[];
  declarations: WireDeclaration[];
  ledger: LedgerOp[];
  events: [string, Record<string, unknown>][];
  figures: [string, Figure][];
  errors: WireError[];
  /** iterations started per flow since the last batch */
  flows: Record<string, number>;
  activeVUs: number;
  /** this thread's event-loop delay so far (beyond the 10 ms resolution), ms */
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  /** true on the last batch: the worker's executors are done */
  final: boolean;
}

export type FromWorker = { type: 'ready' } | { type: 'failed'; message: string } | WorkerBatch;

export type ToWorker = { type: 'start' } | { type: 'stop'; reason: string };
