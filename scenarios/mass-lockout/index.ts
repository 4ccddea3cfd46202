// mass-lockout: the 2009 migration's lockout wave. A stricter password policy forces resets;
// users update one device, their other devices keep retrying the old password over
// ActiveSync, users log in over IMAP (and sometimes mistype), and a small helpdesk unlocks.
import { PacedClock } from '../../engine/paced-clock.ts';
import { defineScenario, type FlowContext } from '../../harness/scenario/types.ts';
import { massLockoutParams, scaleMassLockout, type MassLockoutParams } from './params.ts';
import { compression, horizonMs, lockoutStack, realMs, retryModel } from './setup.ts';
import { planLockoutDay } from './device-retry.ts';
import { LockoutWorkload, type Lane } from './workload.ts';
import { networkTransport } from './transport.ts';
import { directoryOf, reportLockouts, sampleLockouts, type LockoutData } from './report.ts';
import { lockoutStory } from './story.ts';
import { MASS_LOCKOUT_METRICS } from './metrics.ts';

/** Takes the earliest due event of a lane, waits for its simulated time, performs it. */
async function playNext(ctx: FlowContext<MassLockoutParams, LockoutData>, lane: Lane): Promise<void> {
  const { workload, t0, lag } = ctx.data;
  const event = workload.take(lane);
  try {
    if (!event) return await ctx.clock.sleep(Math.min(250, realMs(ctx.params) / 10), ctx.signal);
    const due = t0 + event.at;
    const wait = due - ctx.simClock.now();
    lag.events++;
    // A paced clock records replay_lag for the sleeps it wakes; an event already overdue is recorded here.
    if (wait > 0) await ctx.simClock.sleep(wait, ctx.signal);
    else {
      lag.maxSimMs = Math.max(lag.maxSimMs, -wait);
      if (-wait > ctx.params.lateMinutes * 60_000) lag.late++;
      ctx.metrics.trend('lockout_event_lag', -wait / compression(ctx.params), { lane });
      ctx.metrics.trend('replay_lag', ctx.simClock instanceof PacedClock ? ctx.simClock.lateByMs(due) : -wait / compression(ctx.params));
    }
  } catch {
    return; // the run is ending
  }
  if (event.at <= horizonMs(ctx.params)) await workload.perform(event);
}

export const massLockout = defineScenario({
  name: 'mass-lockout',
  description:
    'Stricter password policy at T0 forces resets; stale passwords on mobile devices keep retrying (ActiveSync heartbeat 60-3540 s) ' +
    'and lock accounts that never typed a wrong password; users log in over IMAP and sometimes mistype; a small helpdesk unlocks. ' +
    'Defaults: one simulated day in 60 s (time compression 1,440x), a trust of 1,250 users (1/10 of the incident\'s 12,500) plus 4 organisations of 250; ' +
    'figures are projected to the 12,500-user trust. lockoutPolicy=ad replays 2009 (gates fail); lockoutPolicy=smart passes.',
  incident:
    'Mass lockouts, 2009 migration: stricter password policy on the new platform; mobile devices set up to retry connections locked accounts; ' +
    'one trust had 500 accounts (4% of its users) locked in a day; 167 locked platform-wide at one time; ' +
    'a user stayed locked for three working days because engineers could not keep up.',
  params: massLockoutParams,
  scale: scaleMassLockout,
  timeCompression: compression,
  stack: lockoutStack,
  options: (p) => ({
    scenarios: {
      users: { executor: 'constant-vus', exec: 'users', vus: p.userWorkers, duration: p.duration, gracefulStop: '5s' },
      devices: { executor: 'constant-vus', exec: 'devices', vus: p.workers, duration: p.duration, gracefulStop: '5s' },
    },
    thresholds: {
      lockout_locked_pct: [{ threshold: `max<${p.maxLockedPct}`, description: `at its peak, ${p.maxLockedPct}% or more of an organisation's users were locked out at once` }],
      lockout_stale_device_accounts: [{ threshold: `value<=${p.maxStaleDeviceLockouts}`, description: 'accounts were locked whose users never typed a wrong password (a device held a stale password)' }],
      lockout_longest_locked_hours: [{ threshold: `value<${p.maxLockedHours}`, description: `a user stayed locked out for ${p.maxLockedHours * 60} minutes or more` }],
      helpdesk_backlog_at_deadline: [{ threshold: 'value==0', description: `locked users were still waiting for the helpdesk ${p.helpdeskClearByHours} hours after the change` }],
    },
  }),
  // An iteration plays the next event of the day planned in setup (from the directory): a
  // user's IMAP login (LOGIN and LOGOUT on one connection) or a device's ActiveSync Ping.
  // How many there are and when comes from that plan, not from the options: the rate is not
  // bounded here, so a remote run's caps refuse it.
  load: () => ({
    users: { perIteration: { imap: { requests: 2, connections: 1 } }, note: 'one IMAP login per planned event; events per day from the directory' },
    devices: { perIteration: { activesync: { requests: 1, connections: 1 } }, note: 'one ActiveSync Ping per planned event; events per day from the directory' },
  }),
  metrics: MASS_LOCKOUT_METRICS,
  async setup(ctx): Promise<LockoutData> {
    const directory = directoryOf(ctx);
    const t0 = ctx.simClock.now();
    const forcedResets = directory.enforceStrictPolicy();
    const model = retryModel(ctx.params);
    const random = ctx.random.fork('mass-lockout');
    const plan = planLockoutDay(directory, model, random.fork('plan'));
    const workload = new LockoutWorkload(directory, plan, model, random.fork('play'), networkTransport(ctx), () => ctx.simClock.now() - t0);
    ctx.events.record('strict_policy', { forcedResets, users: directory.userCount, policy: ctx.params.lockoutPolicy, compression: compression(ctx.params) });
    return { workload, plan, t0, forcedResets, peakLockedPct: {}, peakLockedNow: 0, lag: { events: 0, late: 0, maxSimMs: 0 } };
  },
  flows: {
    users: (ctx) => playNext(ctx, 'user'),
    devices: (ctx) => playNext(ctx, 'device'),
  },
  monitor: (ctx) => sampleLockouts(ctx, ctx.data),
  story: () => lockoutStory(),
  drain: () => ({ timeout: '1s' }),
  async finish(ctx) {
    reportLockouts(ctx, ctx.data);
  },
});

export default massLockout;
