// Gauges the gates read and figures the report shows: sampled once a second during the run
// (locked share per organisation, helpdesk backlog) and computed once at the end.
import type { RunContext } from '../../harness/scenario/types.ts';
import type { DirectoryService } from '../../directory/types.ts';
import { StackError } from '../../engine/errors.ts';
import { replayBehindMs } from '../../engine/paced-clock.ts';
import { INCIDENT_PLATFORM_PEAK_LOCKED, INCIDENT_TRUST_LOCKED, INCIDENT_TRUST_USERS, type MassLockoutParams } from './params.ts';
import { TRUST_NAME, compression } from './setup.ts';
import type { LockoutWorkload } from './workload.ts';
import { planSummary, type LockoutPlan } from './device-retry.ts';

export interface LockoutData {
  workload: LockoutWorkload;
  plan: LockoutPlan;
  /** simulated time of T0 (the stricter policy switched on) */
  t0: number;
  forcedResets: number;
  backlogAtDeadline?: number;
  peakLockedPct: Record<string, number>;
  peakLockedNow: number;
  /** how far behind its simulated time the workload ran (a slow machine shows here) */
  lag: { events: number; late: number; maxSimMs: number };
}

const HOUR = 3_600_000;

export function directoryOf(ctx: RunContext<unknown>): DirectoryService {
  const directory = ctx.stack.directory;
  if (!directory) throw new StackError('mass-lockout needs a stack with a directory (population, lockout policy, helpdesk)');
  return directory;
}

/** Once a second: locked share per organisation, locked now, helpdesk backlog (and at the deadline). */
export function sampleLockouts(ctx: RunContext<MassLockoutParams>, data: LockoutData): void {
  const stats = directoryOf(ctx).stats();
  for (const org of stats.organisations) {
    const pct = org.users > 0 ? (100 * org.lockedNow) / org.users : 0;
    ctx.metrics.gauge('lockout_locked_pct', pct, { organisation: org.name });
    data.peakLockedPct[org.name] = Math.max(data.peakLockedPct[org.name] ?? 0, pct);
  }
  data.peakLockedNow = Math.max(data.peakLockedNow, stats.lockedNow);
  ctx.metrics.gauge('lockout_locked_now', stats.lockedNow);
  ctx.metrics.gauge('helpdesk_backlog', stats.helpdesk.backlog);
  // accounts locked so far by cause: a stale device that never typed wrong, or a user typo
  ctx.metrics.gauge('lockout_accounts_locked_by_cause', stats.lockedNeverTypedWrong, { cause: 'stale device' });
  ctx.metrics.gauge('lockout_accounts_locked_by_cause', stats.accountsLocked - stats.lockedNeverTypedWrong, { cause: 'user typo' });
  const simHours = (ctx.simClock.now() - data.t0) / HOUR;
  if (data.backlogAtDeadline === undefined && simHours >= ctx.params.helpdeskClearByHours) {
    data.backlogAtDeadline = stats.helpdesk.backlog;
    ctx.metrics.gauge('helpdesk_backlog_at_deadline', stats.helpdesk.backlog);
    ctx.events.record('helpdesk_deadline', { simHours: ctx.params.helpdeskClearByHours, backlog: stats.helpdesk.backlog });
  }
}

/** After the load: the gate gauges and the figures, with projections to the incident's trust. */
export function reportLockouts(ctx: RunContext<MassLockoutParams>, data: LockoutData): void {
  const p = ctx.params;
  sampleLockouts(ctx, data);
  const directory = directoryOf(ctx);
  const stats = directory.stats();
  if (data.backlogAtDeadline === undefined) {
    // The run ended before the deadline: the backlog now is the best evidence there is.
    data.backlogAtDeadline = stats.helpdesk.backlog;
    ctx.metrics.gauge('helpdesk_backlog_at_deadline', stats.helpdesk.backlog);
  }
  ctx.metrics.gauge('lockout_stale_device_accounts', stats.lockedNeverTypedWrong);
  ctx.metrics.gauge('lockout_longest_locked_hours', stats.longestLockedMs / HOUR);
  ctx.metrics.gauge('lockout_accounts_locked', stats.accountsLocked);

  // Accounts of the trust locked at least once during the day, from the directory's lockout events.
  const trustLocked = new Set<string>();
  const lockedAddresses = new Set<string>();
  for (const e of ctx.events.all()) {
    if (e.type !== 'lockout' || typeof e['address'] !== 'string') continue;
    lockedAddresses.add(e['address']);
    if (e['organisation'] === TRUST_NAME) trustLocked.add(e['address']);
  }
  const planned = new Map(data.plan.users.map((u) => [u.address, u]));
  const neverMistyped = [...lockedAddresses].filter((a) => planned.get(a)?.mistyped === false).length;
  const trustFactor = INCIDENT_TRUST_USERS / p.trustUsers;
  const factorNote = `trust scaled ${p.trustUsers} -> ${INCIDENT_TRUST_USERS} users (x${trustFactor.toFixed(2)})`;
  const capacityPerHour = p.helpdeskEngineers * p.unlocksPerEngineerPerHour;
  const c = compression(p);

  ctx.figure('forced_resets', { value: data.forcedResets, unit: 'users', note: `users whose legacy password failed the stricter policy at T0 (${(p.weakPasswordShare * 100).toFixed(1)}% drawn)` });
  ctx.figure('stale_devices', { value: planSummary(data.plan).staleDevices, unit: 'devices', note: 'devices left holding the old password after their user reset it on another device' });
  ctx.figure('trust_accounts_locked_in_day', {
    value: trustLocked.size, unit: 'accounts', projected: Math.round(trustLocked.size * trustFactor),
    note: `${TRUST_NAME}: ${((100 * trustLocked.size) / p.trustUsers).toFixed(2)}% of its users; incident: ${INCIDENT_TRUST_LOCKED} accounts (4%) in a day; ${factorNote}`,
  });
  ctx.figure('trust_locked_pct_in_day', { value: (100 * trustLocked.size) / p.trustUsers, unit: '%', note: `share of ${TRUST_NAME}'s ${p.trustUsers} users locked at least once in the simulated day; incident: 4%` });
  ctx.figure('peak_locked_pct_any_organisation', {
    value: Math.max(0, ...Object.values(data.peakLockedPct)), unit: '%',
    note: `sampled once a real second (${((c * 1000) / 60_000).toFixed(1)} simulated minutes); gate < ${p.maxLockedPct}%`,
  });
  // Per organisation (the first ten): the share locked at once at its worst moment.
  for (const [name, pct] of Object.entries(data.peakLockedPct).slice(0, 10)) {
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
    ctx.figure(`peak_locked_pct_${slug}`, { value: pct, unit: '%', note: `${name}: peak share of its users locked at once` });
  }
  ctx.figure('platform_peak_locked_at_once', {
    value: Math.max(data.peakLockedNow, stats.peakLockedNow), unit: 'accounts',
    note: `${stats.users} users simulated; incident: ${INCIDENT_PLATFORM_PEAK_LOCKED} locked platform-wide at one time`,
  });
  ctx.figure('accounts_locked', { value: stats.accountsLocked, unit: 'accounts', note: `accounts locked at least once in the simulated day, all organisations; lockout events by cause: ${byOutcome(stats.lockouts)}` });
  ctx.figure('locked_never_typed_wrong', {
    value: stats.lockedNeverTypedWrong, unit: 'accounts', projected: Math.round(stats.lockedNeverTypedWrong * trustFactor),
    note: `locked by a device holding a stale password (directory's accounting; workload's own count of locked users who never mistyped: ${neverMistyped}); projected with ${factorNote}`,
  });
  ctx.figure('longest_locked_hours', {
    value: stats.longestLockedMs / HOUR, unit: 'h',
    note: `simulated hours, including lockouts still running at the end; incident: three working days; gate < ${p.maxLockedHours} h`,
  });
  ctx.figure('helpdesk_backlog_at_deadline', {
    value: data.backlogAtDeadline, unit: 'tickets',
    note: `${p.helpdeskClearByHours} simulated hours after T0; ${p.helpdeskEngineers} engineers x ${p.unlocksPerEngineerPerHour.toFixed(1)} unlocks/h`,
  });
  ctx.figure('helpdesk_hours_to_clear_backlog', {
    value: capacityPerHour > 0 ? stats.helpdesk.backlog / capacityPerHour : 0, unit: 'h',
    note: `simulated hours the helpdesk needs for the backlog at the end (${stats.helpdesk.backlog}) at its capacity of ${capacityPerHour.toFixed(1)} unlocks/h; ${stats.helpdesk.unlocked} unlocked so far`,
  });
  ctx.figure('schedule_lag_max_minutes', {
    value: data.lag.maxSimMs / 60_000, unit: 'min',
    note: `simulated minutes the latest event of the day ran behind its planned time; ${data.lag.late} of ${data.lag.events} events ran more than ${p.lateMinutes} simulated minutes late (a machine that cannot keep up bunches retries)`,
  });
  reportLateEvents(ctx, data);
  ctx.figure('time_compression', { value: c, unit: 'x', note: `${p.simHours} simulated hours in ${p.duration} of real time` });
  const t = data.workload.tally;
  ctx.figure('device_syncs', { value: Object.values(t.deviceSyncs).reduce((a, b) => a + b, 0), unit: 'requests', note: `ActiveSync requests by outcome: ${byOutcome(t.deviceSyncs)}` });
  ctx.figure('user_logins', { value: Object.values(t.userLogins).reduce((a, b) => a + b, 0), unit: 'logins', note: `IMAP LOGINs by outcome: ${byOutcome(t.userLogins)}; ${t.mistypes} mistyped` });
}

/**
 * Events that fired more than `lateMinutes` after their simulated time: the day was not played
 * as planned (retries bunched, lockout windows saw other counts), so the figures are less
 * trustworthy however the gates came out. Any at all is recorded as a warning.
 */
function reportLateEvents(ctx: RunContext<MassLockoutParams>, data: LockoutData): void {
  const { late, events } = data.lag;
  const minutes = ctx.params.lateMinutes;
  const behindS = replayBehindMs(ctx.simClock) / 1000;
  ctx.figure('events_late', {
    value: late, unit: 'events',
    note: `of ${events} events, fired more than ${minutes} simulated minutes late (the workers could not keep up with the schedule); the replay ran ${behindS.toFixed(1)} wall s behind its compressed schedule at the end`,
  });
  if (late > 0) {
    ctx.events.record('warning', {
      kind: 'events_late', late, events, lateMinutes: minutes,
      message: `${late} of ${events} events fired more than ${minutes} simulated minutes late: the day was not replayed as planned, so the lockout figures may not hold`,
    });
  }
}

/** "ok 12, locked 3" rather than a JSON object in a note a person reads. */
function byOutcome(counts: Record<string, number>): string {
  const parts = Object.entries(counts).map(([k, v]) => `${k.replace(/_/g, ' ')} ${v}`);
  return parts.length ? parts.join(', ') : 'none';
}
