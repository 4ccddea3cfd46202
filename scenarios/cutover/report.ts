// After the drain: waits for the drain-back, checks every mailbox, and turns the run into the
// gate metrics and figures. A metric a gate reads is recorded even when it is zero, and the
// rollback time only when there was something to roll back from, so nothing passes on a default.
import type { RunContext } from '../../harness/scenario/types.ts';
import { checkMailboxes } from './check.ts';
import { INCIDENT_ACCOUNTS, type CutoverParams } from './params.ts';
import type { CutoverData } from './state.ts';

type Ctx = RunContext<CutoverParams> & { data: CutoverData };

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const seconds = (ms: number) => round(ms / 1000, 2);

function recordRollback(ctx: Ctx): void {
  const { data: d, params: p } = ctx;
  if (d.switchedAt === undefined) {
    ctx.metrics.trend('rollback_seconds', 0);
    ctx.figure('rollback_seconds', { value: 0, unit: 's', note: `no switch, nothing to roll back: ${d.calledOff ?? 'the cutover never started'}` });
    return;
  }
  if (d.failedAt === undefined) {
    ctx.metrics.trend('rollback_seconds', 0);
    ctx.figure('rollback_seconds', { value: 0, unit: 's', note: 'the new platform never failed, so no rollback was needed' });
    return;
  }
  if (d.rolledBackAt === undefined) {
    ctx.figure('rollback_seconds', { value: seconds(ctx.clock.now() - d.failedAt), unit: 's', note: 'never rolled back: mail kept going to the failed platform until the run ended' });
    return;
  }
  const s = (d.rolledBackAt - d.failedAt) / 1000;
  ctx.metrics.trend('rollback_seconds', s);
  ctx.figure('rollback_seconds', {
    value: round(s, 2), unit: 's',
    note: `first failure on the new platform ${seconds(d.failedAt - d.switchedAt)} s after the switch; traffic back on the old one ${round(s, 2)} s later, ${p.protected ? 'by the health gate' : 'by hand'} (RTO ${p.rtoSeconds} s)`,
  });
}

export async function reportCutover(ctx: Ctx): Promise<void> {
  const { data: d, params: p, metrics } = ctx;
  await d.drainBack;
  recordRollback(ctx);
  const check = await checkMailboxes(ctx.imap, d, () => ctx.clock.now());
  metrics.count('mail_stranded', check.stranded);
  metrics.count('mail_missing', check.missing);
  metrics.count('mailbox_inconsistent', check.inconsistent);
  metrics.count('login_regressions', check.loginRegressions);
  for (const ms of check.windowDelays) metrics.trend('window_delivery_delay', ms);

  const finished = d.sent.length + d.bounced.length;
  const bouncedShare = finished === 0 ? 0 : d.bounced.length / finished;
  const windowSent = d.sent.filter((s) => s.window).length;
  const viaNew = d.sent.filter((s) => s.platform === 'new').length;
  ctx.figure('cutover_verdict', {
    value: d.switchedAt === undefined ? 0 : 1,
    text: d.switchedAt === undefined ? 'called off' : d.rolledBackAt === undefined ? 'switched, never rolled back' : 'switched and rolled back',
    note: d.calledOff ?? `switch ${d.switchedAt === undefined ? '' : `at ${seconds(d.switchedAt - d.runStartedAt)} s`}; readiness check ${p.protected ? 'run' : 'skipped'}`,
  });
  ctx.figure('mail_accepted', { value: d.sent.length, unit: 'messages', note: `${d.sent.length - viaNew} by the old platform, ${viaNew} by the new one; ${windowSent} first tried after the switch` });
  ctx.figure('mail_bounced', {
    value: d.bounced.length, unit: 'messages',
    note: `${round(bouncedShare * 100, 2)}% of ${finished} messages; senders gave up after ${p.senderAttempts} attempts ${p.retrySeconds} s apart (last replies: ${[...new Set(d.bounced.map((b) => b.code || 'lost connection'))].join(', ') || 'none'}); the old platform refused nothing`,
  });
  ctx.figure('mail_stranded', {
    value: check.stranded, unit: 'messages',
    note: `accepted, not in the recipient's mailbox after the rollback, still on the new platform's store; ${check.missing} in no mailbox at all; ${check.inMailbox} of ${check.accepted} where they belong`,
  });
  // The old platform's queue delivers to the new store too while the mailboxes point there.
  const movedFromOld = d.sent.filter((s) => s.platform === 'old' && d.movedAt.has(s.id)).length;
  const drained = d.drainedAt !== undefined && d.rolledBackAt !== undefined ? `took ${seconds(d.drainedAt - d.rolledBackAt)} s after the rollback` : 'did not run';
  ctx.figure('mail_moved_back', {
    value: d.movedAt.size, unit: 'messages',
    note: p.protected
      ? `drain-back ${drained}; ${d.movedAt.size - movedFromOld} accepted by the new platform, ${movedFromOld} by the old one and delivered to the new store while the mailboxes pointed there${d.drainErrors.length ? `; errors: ${d.drainErrors.join('; ')}` : ''}`
      : 'no drain-back (protected=false)',
  });
  const sorted = [...check.windowDelays].sort((a, b) => a - b);
  const p99 = sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] as number);
  ctx.figure('window_delivery_delay_p99', {
    value: seconds(p99), unit: 's',
    note: `${sorted.length} window messages, first attempt to the mailbox read after the round trip; ${check.undeliveredInWindow} never got there (counted up to this check, a lower bound)`,
  });
  ctx.figure('mailbox_inconsistent', { value: check.inconsistent, unit: 'mailboxes', note: `of ${d.recipients.length} checked; ${check.duplicated} duplicate copies${check.samples.length ? `; e.g. ${check.samples.slice(0, 3).join('; ')}` : ''}` });
  ctx.figure('login_regressions', { value: check.loginRegressions, unit: 'users', note: `of ${d.loginsBefore.size} who logged in before the switch` });
  ctx.figure('nodes', {
    value: p.newNodes, unit: 'nodes',
    note: `roles ${d.roles.join(', ')}; crashed ${[...d.crashed].join(', ') || 'none'}; accepted per node ${d.acceptedByNode.join('/')}`,
  });
  ctx.figure('population', { value: d.addresses.length, unit: 'accounts', note: `${round((d.addresses.length / INCIDENT_ACCOUNTS) * 100, 1)}% of the ~${INCIDENT_ACCOUNTS.toLocaleString('en-GB')} accounts of 2004` });
}
