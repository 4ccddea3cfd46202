// The two workloads: movers taking accounts in phase order, and live mail arriving for
// migrated and not-yet-migrated users while they work.
import { StackError } from '../../engine/errors.ts';
import type { FlowContext, RunContext } from '../../harness/scenario/types.ts';
import { phaseOf } from './checkpoint.ts';
import { moveAccount, type MoveResult } from './mover.ts';
import { compression, type WeekendMigrationParams } from './params.ts';
import { isOver, takeCheckpoint, type MigrationData } from './state.ts';

type Ctx = FlowContext<WeekendMigrationParams, MigrationData>;

/**
 * Simulated ms a mover spends on an account: overhead plus its messages at the mover's rate
 * (real-size mailbox), times the real accounts it stands for.
 */
export function modelledMoveMs(p: WeekendMigrationParams, messages: number): number {
  return p.represents * (p.accountOverheadSeconds + (messages * p.realMessagesPerSeeded) / p.moverMessagesPerSecond) * 1000;
}

export function routeUser(ctx: RunContext<unknown>, d: MigrationData): (address: string, store: string) => void | Promise<void> {
  const route = ctx.stack.routeUser?.bind(ctx.stack);
  if (!route) throw new StackError('weekend-migration needs a stack that routes mail per user (Stack.routeUser) between the "source" and "target" mailstores');
  return (address, store) => {
    d.storeOf.set(address, store);
    return route(address, store);
  };
}

function record(ctx: Ctx, result: MoveResult, phase: number): void {
  ctx.metrics.count('migration_accounts', 1, { status: result.status });
  ctx.metrics.count('migration_messages_copied', result.status === 'moved' ? result.messages : 0);
  if (result.status === 'corrupt') {
    ctx.events.record('mailbox_corrupt', { account: result.address, mailbox: result.mailbox, uids: result.uids, phase: phase + 1, error: result.error });
  } else if (result.status === 'failed') {
    ctx.events.record('account_failed', { account: result.address, stage: result.stage, phase: phase + 1, error: result.error });
  } else if (result.integrity.missing + result.integrity.duplicated + result.integrity.flagsLost > 0) {
    ctx.events.record('integrity_failure', { account: result.address, phase: phase + 1, ...result.integrity });
  }
}

export async function move(ctx: Ctx): Promise<void> {
  const d = ctx.data;
  if (isOver(d) || d.next >= d.order.length) return;
  const index = d.next++;
  const address = d.order[index] as string;
  const phase = phaseOf(index, d.phaseSizes);
  d.inFlight++;
  try {
    const startedSim = ctx.simClock.now();
    const startedReal = ctx.clock.now();
    const password = ctx.stack.directory?.user(address)?.password ?? '';
    const result = await moveAccount({ address, password, imap: ctx.imap, route: routeUser(ctx, d) });
    // Service time: the move on the paced simulated clock, which does not count the wall time
    // the harness was held up (stalled event loop, waiting for a CPU) while awaiting replies.
    const serviceSim = ctx.simClock.now() - startedSim;
    const moveWall = ctx.clock.now() - startedReal;
    const serviceWall = serviceSim / compression(ctx.params);
    ctx.metrics.trend('migration_account_real_ms', moveWall);
    ctx.metrics.trend('migration_account_service_ms', serviceWall);
    d.serviceWallMs += serviceWall;
    d.moveWallMs += moveWall;
    d.results.push(result);
    record(ctx, result, phase);
    // The mover is busy for the modelled time of a real-size mailbox (or longer, if the stack is slower).
    const modelled = modelledMoveMs(ctx.params, result.messages);
    const wait = startedSim + modelled - ctx.simClock.now();
    if (wait > 0) await ctx.simClock.sleep(wait, ctx.signal).catch(() => {});
    // Counted once the account is done, as `done` is, so in-flight work is in neither.
    d.occupiedSimMs[ctx.vu - 1] = (d.occupiedSimMs[ctx.vu - 1] ?? 0) + Math.max(modelled, serviceSim);
  } finally {
    d.inFlight--;
  }
  const completed = d.progress.accountFinished(phase);
  if (d.progress.done === d.order.length) {
    d.finishedAtSimMs = ctx.simClock.now();
    d.finishedAtWall = ctx.clock.now();
  }
  if (completed !== undefined) takeCheckpoint(ctx, d, 'phase', completed);
}

export async function live(ctx: Ctx): Promise<void> {
  const d = ctx.data;
  const i = d.liveIssued++;
  const due = d.startSim + (i * 3_600_000) / ctx.params.liveMailPerHour;
  const wait = due - ctx.simClock.now();
  if (isOver(d)) return;
  if (wait > 0) {
    try {
      await ctx.simClock.sleep(wait, ctx.signal);
    } catch {
      return;
    }
  }
  if (isOver(d)) return;
  const recipient = d.pick.pick(d.liveRecipients);
  const migratedAtSend = d.storeOf.get(recipient) === 'target';
  const sent = await ctx.smtp.send({
    from: 'colleague@partner.test', to: [recipient], endpoint: 'smtp', sizeBytes: 2048,
    subject: `Live mail during the migration (${migratedAtSend ? 'migrated' : 'not yet migrated'} recipient)`,
  });
  ctx.metrics.rate('live_mail_accepted', sent.ok);
  if (sent.ok) d.live.push({ id: sent.id, recipient, migratedAtSend });
}
