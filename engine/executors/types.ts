// What the executors need from a run and what they give back.
import type { Clock } from '../clock.ts';
import type { MetricsSink } from '../metrics/types.ts';
import type { ExecutionTuple } from './execution-segment.ts';

export interface IterationContext {
  scenario: string;
  flow: string;
  /** VU id, unique across all scenarios of the run (starts at 1), and across execution segments. */
  vu: number;
  /**
   * Arrival-rate and shared-iterations: index within the scenario (of the unsplit test, so
   * unique across execution segments); VU-based: index within the VU.
   */
  iteration: number;
  /** Aborted when the iteration is cut short (gracefulStop, ramp-down, stop()). */
  signal: AbortSignal;
}

export type IterationFn = (it: IterationContext) => Promise<void>;

export interface IterationErrorInfo {
  scenario: string;
  flow: string;
  error: unknown;
}

export interface ExecutorDeps {
  flows: Record<string, IterationFn>;
  clock: Clock;
  metrics: MetricsSink;
  /** Aborting it is the same as stop(). */
  signal: AbortSignal;
  onIterationError(info: IterationErrorInfo): void;
  /**
   * The share of every executor this run executes (k6's execution segment); the whole test
   * when absent. Iteration and VU numbers stay those of the unsplit test.
   */
  segment?: ExecutionTuple;
}

export interface ExecutionHandle {
  /** Resolves when every scenario has ended (normally, by gracefulStop, or by stop()); never rejects. */
  done: Promise<void>;
  /** VUs running right now: looping VUs of VU-based executors plus busy VUs of arrival-rate ones. */
  activeVUs(): number;
  /** Ends everything now: no new iterations, running ones are aborted and counted as interrupted. */
  stop(reason?: string): void;
}
