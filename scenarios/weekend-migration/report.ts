// After the migration: the gate gauges (window ratio, success, integrity, live mail) and the
// figures, with projections to 2009's 122,565 accounts and one 50,000-account weekend.
import type { RunContext } from '../../harness/scenario/types.ts';
import { checkLiveMail } from './live-mail.ts';
import { heldUpMs, takeCheckpoint, type MigrationData } from './state.ts';
import {
  INCIDENT_ACCOUNTS, INCIDENT_CORRUPT, INCIDENT_LIVE_MAIL, INCIDENT_WEEKEND_ACCOUNTS, compression, realWindowMs, type WeekendMigrationParams,
} from './params.ts';

const HOUR = 3_600_000;

export async function reportMigration(ctx: RunContext<WeekendMigrationParams>, d: MigrationData): Promise<void> {
  const p = ctx.params;
  if (d.finishedAtSimMs !== undefined) takeCheckpoint(ctx, d, 'final');
  const moved = d.results.filter((r) => r.status === 'moved');
  const corrupt = d.results.filter((r) => r.status === 'corrupt');
  const failed = d.results.filter((r) => r.status === 'failed');
  let integrityFailures = 0;
  let verified = 0;
  let messages = 0;
  let bytes = 0;
  for (const r of moved) {
    const bad = r.integrity.missing + r.integrity.duplicated + r.integrity.flagsLost;
    integrityFailures += bad;
    if (bad === 0) verified++;
    messages += r.messages;
    bytes += r.bytes;
  }
  const planned = d.order.length;
  const notMoved = planned - d.results.length;
  // One sample per planned account: moved and verified, or not (corrupt, failed, never started).
  for (let i = 0; i < planned; i++) ctx.metrics.rate('migration_account_success', i < verified);
  ctx.metrics.gauge('migration_integrity_failures', integrityFailures);
  ctx.metrics.gauge('migration_corrupt_mailboxes', corrupt.length);

  const live = await checkLiveMail(d.live, ctx.imap, (a) => ctx.stack.directory?.user(a)?.password ?? '', (a) => d.storeOf.get(a) ?? 'source');
  ctx.metrics.gauge('live_mail_lost', live.lost);
  ctx.metrics.gauge('live_mail_duplicated', live.duplicated);

  const last = d.progress.checkpoints.at(-1);
  const firstBad = d.progress.checkpoints.find((c) => c.verdict !== 'go');
  const scaleNote = `${planned} accounts simulated; x${(INCIDENT_ACCOUNTS / planned).toFixed(1)} to 2009's ${INCIDENT_ACCOUNTS.toLocaleString('en-GB')}`;
  const endSim = d.finishedAtSimMs ?? (d.stopped ? d.startSim + d.stopped.atSimMs : ctx.simClock.now());
  const elapsedMs = endSim - d.startSim;
  const perMoverPerHour = elapsedMs > 0 ? (d.progress.done * HOUR) / elapsedMs / p.movers : 0;

  ctx.figure('verdict', {
    value: d.stopped ? 2 : firstBad ? 1 : 0,
    text: d.stopped ? 'rolled back' : firstBad ? 'no-go called' : 'go throughout',
    note: (d.stopped
      ? `ROLL BACK at ${(d.stopped.atSimMs / HOUR).toFixed(1)} simulated h (${d.stopped.checkpoint.kind} checkpoint): projected ${(d.stopped.checkpoint.projectedMs / HOUR).toFixed(1)} h for a ${p.windowHours} h window`
      : `${firstBad ? `no-go first at ${(firstBad.elapsedMs / HOUR).toFixed(1)} h; ` : ''}completed in ${(elapsedMs / HOUR).toFixed(1)} simulated h of the ${p.windowHours} h window`)
      + '; 0 = go throughout, 1 = a no-go was called, 2 = rolled back',
  });
  ctx.figure('projected_completion_hours', {
    value: last && Number.isFinite(last.projectedMs) ? last.projectedMs / HOUR : -1, unit: 'h',
    note: `simulated hours the whole migration would take, projected at the last checkpoint (${last?.kind ?? 'none'}) from the movers' service time (what the gate and the go / no-go calls read); window ${p.windowHours} h; ${d.progress.checkpoints.length} checkpoints, worst ratio ${Math.max(0, ...d.progress.checkpoints.map((c) => c.ratio)).toFixed(2)}`,
  });
  reportWallProjection(ctx, d);
  ctx.figure('throughput_accounts_per_hour', {
    value: last?.accountsPerHour ?? 0, unit: 'accounts/h',
    note: `${p.movers} movers, ${perMoverPerHour.toFixed(1)} accounts/h each (simulated time; modelled ${p.moverMessagesPerSecond} msg/s per mover, ${p.realMessagesPerSeeded} real messages per seeded one${p.represents !== 1 ? `, each account standing for ${Number(p.represents.toFixed(2))}` : ''})`,
  });
  reportWeekendCapacity(ctx, d, planned);
  ctx.figure('accounts_moved_verified', {
    value: verified, unit: 'accounts', projected: Math.round((verified * INCIDENT_ACCOUNTS) / planned),
    note: `${((100 * verified) / planned).toFixed(3)}% of ${planned} planned (2009: 99.95%); ${failed.length} failed, ${notMoved} never started; ${scaleNote}`,
  });
  ctx.figure('corrupt_mailboxes', {
    value: corrupt.length, unit: 'mailboxes', projected: Math.round((corrupt.length * INCIDENT_ACCOUNTS) / planned),
    note: `${corrupt.map((c) => `${c.address} (${c.mailbox} uid ${c.uids.join(',') || '?'})`).slice(0, 20).join('; ') || 'none'}; left on the source, reported not skipped; 2009: ${INCIDENT_CORRUPT}`,
  });
  ctx.figure('messages_verified', { value: messages, unit: 'messages', note: `${bytes} bytes copied and checked by SHA-256, once each, flags kept; ${integrityFailures} integrity failures` });
  ctx.figure('live_mail_sent', {
    value: d.live.length, unit: 'messages', projected: Math.round((d.live.length * INCIDENT_ACCOUNTS) / planned),
    note: `${d.live.filter((m) => m.migratedAtSend).length} to already-migrated users; projected by accounts (${scaleNote}); 2009: ${INCIDENT_LIVE_MAIL.toLocaleString('en-GB')} during the migration`,
  });
  ctx.figure('live_mail_lost', {
    value: live.lost, unit: 'messages',
    note: `${live.found} of ${live.checked} found in the recipient's current store; ${live.wrongStore} in the wrong store; ${live.duplicated} duplicated${live.lostSamples.length ? `; e.g. ${live.lostSamples.slice(0, 3).join('; ')}` : ''}`,
  });
  // One figure per phase checkpoint: the call a migration manager would have made there.
  for (const c of d.progress.checkpoints.filter((k) => k.kind === 'phase')) {
    ctx.figure(`phase_${String(c.phase).padStart(2, '0')}_checkpoint`, {
      value: Number.isFinite(c.projectedMs) ? c.projectedMs / HOUR : -1, unit: 'h',
      note: `${c.verdict.toUpperCase()}: ${c.done}/${c.total} accounts after ${(c.elapsedMs / HOUR).toFixed(1)} h, ${c.accountsPerHour.toFixed(1)} accounts/h; simulated hours to completion projected from the movers' service time, against the ${p.windowHours} h window`,
    });
  }
  ctx.figure('time_compression', { value: compression(p), unit: 'x', note: `${p.windowHours} simulated hours in ${p.duration} of real time` });
  // What the report's migration charts draw their window line and account target from.
  ctx.figure('migration_window', { value: realWindowMs(p) / 1000, unit: 's', note: `the ${p.windowHours}-hour window as run time (${p.duration} at x${compression(p)}), drawn as "window ends"` });
  ctx.figure('accounts_to_move', { value: planned, unit: 'accounts', note: 'accounts this run set out to move: the target line of the progress chart' });
}

/** The projection the gate reads beside the wall-time one, and the time the harness held the movers up. */
function reportWallProjection(ctx: RunContext<WeekendMigrationParams>, d: MigrationData): void {
  const cps = d.progress.checkpoints;
  const worst = Math.max(0, ...cps.map((c) => c.ratio));
  const worstWall = Math.max(0, ...cps.map((c) => c.wallRatio));
  const last = cps.at(-1);
  const held = heldUpMs(ctx, d);
  ctx.figure('migration_projected_ratio', {
    value: worst, unit: 'x window',
    note: `worst checkpoint, projected from the movers' service time (modelled move, or the stack's replies when slower); the gate and the go / no-go / roll back calls use it`,
  });
  ctx.figure('migration_projected_ratio_wall', {
    value: worstWall, unit: 'x window',
    note: `worst checkpoint, projected from wall time x ${compression(ctx.params).toFixed(0)}; includes the ${(held / 1000).toFixed(1)} s the harness held the replay up; not gated`,
  });
  ctx.figure('projected_completion_hours_wall', {
    value: last && Number.isFinite(last.wallProjectedMs) ? last.wallProjectedMs / HOUR : -1, unit: 'h',
    note: `at the last checkpoint (${last?.kind ?? 'none'}), from wall time; from service time: ${last && Number.isFinite(last.projectedMs) ? (last.projectedMs / HOUR).toFixed(1) : 'never'} h`,
  });
  ctx.figure('harness_held_up_seconds', {
    value: held / 1000, unit: 's',
    note: `wall time the replay fell behind its compressed schedule during the migration (event loop stalled or waiting for a CPU); the movers' moves took ${(d.moveWallMs / 1000).toFixed(1)} s on the wall, ${(d.serviceWallMs / 1000).toFixed(1)} s of it awaiting the stack`,
  });
}

/**
 * Not gated: what the rate the checkpoints gated on means for 2009's 50,000-account weekend.
 * A run that fits its own window with fewer accounts can still be far from 50,000 in one,
 * so the figure says which projection it is and stands beside the gated one.
 */
function reportWeekendCapacity(ctx: RunContext<WeekendMigrationParams>, d: MigrationData, planned: number): void {
  const p = ctx.params;
  const last = d.progress.checkpoints.at(-1);
  // accounts/h of the movers' service time (simulated), each simulated account standing for `represents`
  const realPerHour = (last?.accountsPerHour ?? 0) * p.represents;
  const perMover = realPerHour / p.movers;
  const gated = last && Number.isFinite(last.projectedMs) ? `${(last.projectedMs / HOUR).toFixed(1)} h` : 'no projection';
  const weekend = INCIDENT_WEEKEND_ACCOUNTS.toLocaleString('en-GB');
  ctx.figure('weekend_of_50000_accounts_hours', {
    value: realPerHour > 0 ? INCIDENT_WEEKEND_ACCOUNTS / realPerHour : -1, unit: 'h',
    note: `not gated, a capacity extrapolation: simulated hours these ${p.movers} movers would need for 2009's ${weekend}-account weekend at the rate the checkpoints gated on ` +
      `(${perMover.toFixed(1)} real accounts/h per mover, service time). This run's own ${planned} accounts were projected at ${gated} for its ${p.windowHours} h window (projected_completion_hours, gated)`,
  });
  ctx.figure('movers_for_50000_accounts_weekend', {
    value: perMover > 0 ? Math.ceil(INCIDENT_WEEKEND_ACCOUNTS / (perMover * p.windowHours)) : -1, unit: 'movers',
    note: `not gated: movers at ${perMover.toFixed(1)} accounts/h each that would fit ${weekend} accounts into the ${p.windowHours} h window`,
  });
}
