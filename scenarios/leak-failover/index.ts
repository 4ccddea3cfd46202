// leak-failover: 2018. A software upgrade makes a device in front of the primary MTA leak
// memory for weeks (latency up, bandwidth down, now and then a stalled connection) until it
// shuts down completely; submission must fail over to the standby within the RTO, and the
// mail the primary accepted before it died must still arrive. standbyBroken=true replays
// 2018, when the backups did not kick in.
import { ramp } from '../../chaos/builders.ts';
import { leakThenFailure } from '../../chaos/presets.ts';
import type { Timeline } from '../../chaos/types.ts';
import type { Options } from '../../engine/options/types.ts';
import { defineScenario } from '../../harness/scenario/types.ts';
import type { StackSpec } from '../../stack/types.ts';
import { submit, watch } from './flows.ts';
import { leakFailoverParams, phases, scaleLeakFailover, type LeakFailoverParams } from './params.ts';
import { reportReplay } from './report.ts';
import { createData, PRIMARY_PROXY, type LeakFailoverData } from './state.ts';
import { leakStory } from './story.ts';
import { LEAK_FAILOVER_METRICS } from './metrics.ts';

/** Upstream bandwidth (KB/s per connection) of the healthy device, where the leak's ramp starts. */
const HEALTHY_BANDWIDTH_KBPS = 2000;
/** A stalled connection is dropped after this long (ms). */
const STALL_TIMEOUT_MS = 3000;

function stackSpec(p: LeakFailoverParams): StackSpec {
  return {
    population: { organisations: [{ name: 'National platform', users: p.senders + 50 }], maxDevices: 0 },
    deliverTo: 'sink',
    standby: { enabled: true, broken: p.standbyBroken },
  };
}

function chaos(p: LeakFailoverParams): Timeline {
  const t = phases(p);
  const every = Math.max(250, Math.round(p.secondsPerSimDay * 1000)); // one change per simulated day
  const stallGap = Math.round(p.stallEveryDays * p.secondsPerSimDay * 1000);
  return [
    ...leakThenFailure(PRIMARY_PROXY, {
      start: t.leakStartMs, over: t.leakMs, every, failAt: t.failAtMs,
      latency: { from: 0, to: p.leakLatencyMs },
      bandwidth: null, // ramped below on the upstream side, where the message bodies flow
      timeouts: p.stallShare > 0 ? { every: stallGap, toxicity: p.stallShare, hold: Math.min(2000, Math.round(stallGap / 2)), timeout: STALL_TIMEOUT_MS } : null,
    }),
    ramp(PRIMARY_PROXY, 'bandwidth', {
      from: HEALTHY_BANDWIDTH_KBPS, to: p.leakBandwidthKBps, over: t.leakMs, every, start: t.leakStartMs, stream: 'upstream', name: 'leak_bandwidth',
    }),
  ];
}

function options(p: LeakFailoverParams): Options {
  const t = phases(p);
  return {
    scenarios: {
      background: {
        executor: 'constant-arrival-rate', exec: 'submit', rate: p.rate, timeUnit: '1s', duration: `${t.loadMs}ms`,
        preAllocatedVUs: 10, maxVUs: Math.max(40, Math.ceil(p.rate * 15)), gracefulStop: '10s',
      },
    },
    thresholds: {
      degradation_lead_days: [{
        threshold: `min>=${p.minLeadDays}`,
        description: `the trend alarm did not fire at least ${p.minLeadDays} simulated days before the hard failure (no samples: it never fired)`,
      }],
      failover_seconds: [{
        threshold: `max<=${p.rtoSeconds}`,
        description: `submission did not fail over within the RTO of ${p.rtoSeconds} s (no samples: the standby accepted nothing after the failure)`,
      }],
      standby_accepted_after_failure: [{ threshold: 'count>0', description: 'the standby took no mail after the primary died: users were shut out' }],
      standby_check_ok: [{ threshold: 'rate>=0.9', description: 'the standby failed its health checks: the backup would not kick in' }],
      'mail_lost{flow:primary}': [{ threshold: 'count==0', description: 'mail the primary accepted before it died was never delivered nor bounced' }],
      'mail_delivered{flow:primary}': [{ threshold: 'count>0', description: 'the primary delivered nothing: the replay measured no mail' }],
      mail_lost: [{ threshold: 'count==0', description: 'a message the platform accepted was never delivered nor bounced' }],
      mail_duplicated: [{ threshold: 'count==0', description: 'a message arrived more than once' }],
    },
  };
}

export const leakFailover = defineScenario({
  name: 'leak-failover',
  description:
    'Primary and standby MTAs, each behind its own proxy; steady background submission through a front end with an ordered failover rule ' +
    '(SMTP banner health checks). A leak ramps on the primary\'s proxy over 5 simulated weeks (latency 0 -> 1,200 ms, upstream bandwidth ' +
    '2,000 -> 20 KB/s, stalls on 20% of connections every 6 days), then the proxy fails hard. Time compression: the leak runs at one real ' +
    'second per simulated day (86,400x); the failure and failover run in real time. Gates: trend alarm at least 7 simulated days before the ' +
    'failure, failover within the RTO (60 s), mail accepted by the primary never lost, standby healthy. standbyBroken=true replays 2018 (fails).',
  incident:
    'Leak then hard failure, 2018: a software upgrade weeks earlier led to a memory leak in a third-party device; complete shutdown at 12:30 ' +
    'on a Saturday, restored by about 18:00; backups should have kicked in and did not; should have been caught in testing. The replay must ' +
    'show that the degradation is detected before the failure (trend alarm), failover happens within the RTO, and messages accepted before ' +
    'the failure are delivered or bounced, never silently lost.',
  params: leakFailoverParams,
  scale: scaleLeakFailover,
  stack: stackSpec,
  options,
  // One authenticated submission per iteration, to the primary or (after failover) the
  // standby, as the front end says; none while no endpoint is healthy.
  load: (p) => ({
    submit: { perIteration: { submission: { messages: 1, bytes: Math.round(p.messageKB * 1024), connections: 1 } }, note: 'submission: the primary, then the standby after failover' },
  }),
  chaos,
  // The leak's stalls and the hard failure cut the replies of some messages the primary had
  // already taken (about 10 in a default run): they arrive, and the ledger reports them as
  // delivered after failure. This replay never retries, so they are not duplicated; the figure
  // is reported, not gated (the default count==0 would fail every healthy run).
  defaultGates: { deliveredAfterFailure: false },
  metrics: LEAK_FAILOVER_METRICS,
  setup: async (ctx): Promise<LeakFailoverData> => createData(ctx),
  flows: { submit },
  monitor: (ctx) => watch(ctx),
  drain: (p) => ({ timeout: p.drainTimeout }),
  story: () => leakStory(),
  finish: (ctx) => reportReplay(ctx),
  teardown: async (ctx) => {
    await ctx.data?.frontEnd.stop();
  },
});

export default leakFailover;
