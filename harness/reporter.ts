// Every report writer implements this; a multiplexer calls each one and catches a
// reporter's own failure so one broken writer cannot lose the others' output.
import type { RunResult } from './result-schema.ts';
import type { RunEvent } from '../engine/events.ts';

export interface RunMeta {
  runId: string;
  scenario: string;
  outDir: string;
  /** planned load duration in ms (longest executor incl. startTime), for progress */
  plannedMs: number;
}

/** A once-a-second snapshot for live progress. */
export interface Sample {
  elapsedMs: number;
  /** iterations per second per flow over the last second */
  iterationsPerSec: Record<string, number>;
  activeVUs: number;
  /** failed iterations so far */
  errors: number;
  /** submissions the stack refused or that failed so far (a refusal is not an iteration error) */
  refused: number;
  failingGates: string[];
  outstandingDeliveries: number;
}

export interface Reporter {
  onBegin(meta: RunMeta): void | Promise<void>;
  onSample?(sample: Sample): void;
  onEvent?(event: RunEvent): void;
  /**
   * Every few seconds during the run: what result.json would say if the process died now
   * (complete: false). A writer persists it atomically so a killed run leaves what it had.
   */
  onCheckpoint?(result: RunResult, outDir: string): void | Promise<void>;
  onEnd(result: RunResult, outDir: string): void | Promise<void>;
}
