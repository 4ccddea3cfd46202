// The run's migration state shared by the movers, the live-mail senders, the monitor and
// finish; and the checkpoint step that turns progress into a verdict, events and a gauge.
import type { Random } from '../../engine/random.ts';
import { replayBehindMs } from '../../engine/paced-clock.ts';
import type { RunContext } from '../../harness/scenario/types.ts';
import { MigrationProgress, type Checkpoint, type CheckpointKind } from './checkpoint.ts';
import type { MoveResult } from './mover.ts';
import type { LiveMessage } from './live-mail.ts';
import { compression, type WeekendMigrationParams } from './params.ts';

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
  /** wall time it started, and how far the replay already ran behind its schedule then */
  startWall: number;
  behindAtStartMs: number;
  /** per mover (VU), simulated ms busy on finished accounts: the modelled move, or the stack's replies when slower */
  occupiedSimMs: number[];
  /** wall ms movers awaited the stack, not counting time the harness held them up */
  serviceWallMs: number;
  /** wall ms the same moves took on the wall clock */
  moveWallMs: number;
  /** set when a checkpoint says roll back: movers take no further accounts */
  stopped?: { atSimMs: number; checkpoint: Checkpoint };
  /** set when the last account is finished (simulated, and wall) */
  finishedAtSimMs?: number;
  finishedAtWall?: number;
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

/**
 * The migration's elapsed time as the stack's service time has it: the busiest mover's time on
 * finished accounts. Movers work side by side without pause, so while the harness keeps up this
 * is the elapsed simulated time (less the accounts in flight), and at the end the makespan.
 */
export function serviceElapsedMs(d: MigrationData): number {
  // Array.from reads a mover that has finished nothing yet as 0, not as a hole (NaN in Math.max).
  return Math.max(0, ...Array.from(d.occupiedSimMs, (ms) => ms ?? 0));
}

/** Wall ms the harness held the migration up: how much further behind its schedule the replay ran. */
export function heldUpMs(ctx: RunContext<unknown>, d: MigrationData): number {
  return Math.max(0, replayBehindMs(ctx.simClock) - d.behindAtStartMs);
}

/** Takes a checkpoint now; a roll-back verdict stops the movers. */
export function takeCheckpoint(ctx: RunContext<WeekendMigrationParams>, d: MigrationData, kind: CheckpointKind, phase?: number): Checkpoint | undefined {
  const elapsed = Math.max(0, (d.finishedAtSimMs ?? ctx.simClock.now()) - d.startSim);
  // Interim calls wait for a fair sample: three accounts per mover, or 5% of them.
  const minSample = Math.max(3 * ctx.params.movers, Math.ceil(0.05 * d.order.length));
  const wallMs = ((d.finishedAtWall ?? ctx.clock.now()) - d.startWall) * compression(ctx.params);
  const c = d.progress.checkpoint(kind, elapsed, phase, minSample, { serviceMs: serviceElapsedMs(d), wallMs });
  if (!c) return undefined;
  const projectedHours = Number.isFinite(c.projectedMs) ? c.projectedMs / HOUR : null;
  const wallProjectedHours = Number.isFinite(c.wallProjectedMs) ? c.wallProjectedMs / HOUR : null;
  // the gate reads the service-time projection; the wall one shows what harness lag would add
  ctx.metrics.gauge('migration_projected_ratio', Number.isFinite(c.ratio) ? c.ratio : 1e9);
  ctx.metrics.gauge('migration_projected_ratio_wall', Number.isFinite(c.wallRatio) ? c.wallRatio : 1e9);
  if (wallProjectedHours !== null) ctx.metrics.gauge('migration_projected_hours_wall', wallProjectedHours);
  // the projection each checkpoint gated on, in simulated hours (the story chart's line)
  if (projectedHours !== null) ctx.metrics.gauge('migration_projected_hours', projectedHours);
  ctx.events.record('checkpoint', {
    kind, ...(phase !== undefined && { phase }), simHours: elapsed / HOUR, done: c.done, total: c.total,
    accountsPerHour: c.accountsPerHour, projectedHours, windowHours: ctx.params.windowHours, ratio: c.ratio, verdict: c.verdict,
    wallProjectedHours, wallRatio: c.wallRatio, harnessHeldUpSeconds: heldUpMs(ctx, d) / 1000,
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
