// The run's migration state shared by the movers, the live-mail senders, the monitor and
// finish; and the checkpoint step that turns progress into a verdict, events and a gauge.
import type { Random } from '../../engine/random.ts';
import type { RunContext } from '../../harness/scenario/types.ts';
import { MigrationProgress, type Checkpoint, type CheckpointKind } from './checkpoint.ts';
import type { MoveResult } from './mover.ts';
import type { LiveMessage } from './live-mail.ts';
import type { WeekendMigrationParams } from './params.ts';

export interface MigrationData {
  /** addresses in migration order (phase by phase) */
  order: string[];
  phaseSizes: number[];
  progress: MigrationProgress;
  /** position of the next account a mover takes */
  next: number;
  /** accounts a mover is working on right now */
  inFlight: number;
  /** simulated time the migration started */
  startSim: number;
  /** set when a checkpoint says roll back: movers take no further accounts */
  stopped?: { atSimMs: number; checkpoint: Checkpoint };
  /** set when the last account is finished */
  finishedAtSimMs?: number;
  results: MoveResult[];
  /** mailstore each user's mail is delivered to now */
  storeOf: Map<string, string>;
  live: LiveMessage[];
  /** users who receive live mail, spread over the phases */
  liveRecipients: string[];
  liveIssued: number;
  lastInterimAt: number;
  pick: Random;
}

export const isOver = (d: MigrationData): boolean => d.stopped !== undefined || d.finishedAtSimMs !== undefined;

const HOUR = 3_600_000;

/** Takes a checkpoint now; a roll-back verdict stops the movers. */
export function takeCheckpoint(ctx: RunContext<WeekendMigrationParams>, d: MigrationData, kind: CheckpointKind, phase?: number): Checkpoint | undefined {
  const elapsed = Math.max(0, (d.finishedAtSimMs ?? ctx.simClock.now()) - d.startSim);
  // Interim calls wait for a fair sample: three accounts per mover, or 5% of them.
  const minSample = Math.max(3 * ctx.params.movers, Math.ceil(0.05 * d.order.length));
  const c = d.progress.checkpoint(kind, elapsed, phase, minSample);
  if (!c) return undefined;
  const projectedHours = Number.isFinite(c.projectedMs) ? c.projectedMs / HOUR : null;
  ctx.metrics.gauge('migration_projected_ratio', Number.isFinite(c.ratio) ? c.ratio : 1e9);
  // the projection each checkpoint gated on, in simulated hours (the story chart's line)
  if (projectedHours !== null) ctx.metrics.gauge('migration_projected_hours', projectedHours);
  ctx.events.record('checkpoint', {
    kind, ...(phase !== undefined && { phase }), simHours: elapsed / HOUR, done: c.done, total: c.total,
    accountsPerHour: c.accountsPerHour, projectedHours, windowHours: ctx.params.windowHours, ratio: c.ratio, verdict: c.verdict,
  });
  if (c.verdict === 'roll back' && !d.stopped && d.finishedAtSimMs === undefined) {
    d.stopped = { atSimMs: elapsed, checkpoint: c };
    ctx.events.record('rollback', {
      simHours: elapsed / HOUR, done: c.done, total: c.total, projectedHours, windowHours: ctx.params.windowHours,
      reason: `projected completion ${projectedHours?.toFixed(1) ?? 'never'} h exceeds the ${ctx.params.windowHours} h window`,
    });
  }
  return c;
}
