// Partial results while a run is going: every few seconds the run's record so far becomes a
// result.json with complete: false, so a SIGKILL or the OOM killer leaves what was measured.
// The final result replaces it; a checkpoint never overlaps the final write.
import { evaluateThresholds, type MetricQuery } from '../../engine/thresholds/index.ts';
import type { ParsedThreshold } from '../../engine/thresholds/index.ts';
import type { RunResult } from '../result-schema.ts';
import { buildResult, type RunRecord } from './build-result.ts';

export const CHECKPOINT_EVERY_MS = 5_000;

/** result.json as it stands `now`: incomplete, gates not evaluated unless already failed. */
export function checkpointResult(record: RunRecord, thresholds: readonly ParsedThreshold[], now: number): RunResult {
  const seconds = Math.round((now - record.startedAt) / 1000);
  const gates = record.metrics ? evaluateThresholds(thresholds, record.metrics as MetricQuery, { final: false }) : [];
  const stopReason = record.stopReason
    ? `stopping (${record.stopReason}); partial result written ${seconds} s into the run`
    : `partial result written ${seconds} s into the run: the run had not finished (if nothing replaced this file, the process was killed)`;
  return buildResult({ ...record, gates, stopReason }, now, false);
}

export interface Checkpointer {
  /** Stops the timer and waits for a write under way, so the final write comes last. */
  stop(): Promise<void>;
}

export function startCheckpoints(write: () => Promise<void>, everyMs: number): Checkpointer {
  let running: Promise<void> | undefined;
  let stopped = false;
  const timer = setInterval(() => {
    if (running || stopped) return;
    running = write().finally(() => {
      running = undefined;
    });
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
