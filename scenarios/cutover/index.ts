// cutover: 2004. Launch day of a new platform: the front end (MX and submission DNS) switches
// the population's mail from the old platform to the new one; a share of the new nodes never
// come up, another crashes after a few messages, its store is slow and its queue congests (451,
// then senders give up and mail bounces). protected=true runs the runbook: readiness check,
// health gates, automatic rollback within the RTO, drain-back of what reached the new store.
// protected=false replays 2004: cut over blind, roll back by hand later, leave mail behind.
import type { Timeline } from '../../chaos/types.ts';
import type { ExecutorConfig, Options } from '../../engine/options/types.ts';
import { defineScenario } from '../../harness/scenario/types.ts';
import type { StackSpec } from '../../stack/types.ts';
import { watch } from './control.ts';
import { inbound, submit } from './flows.ts';
import { nodeEndpoint } from './front-end.ts';
import { cutoverParams, cutoverPhases, nodeRoles, scaleCutover, type CutoverParams } from './params.ts';
import { reportCutover } from './report.ts';
import { createData, type CutoverData } from './state.ts';
import { cutoverStory } from './story.ts';
import { CUTOVER_METRICS } from './metrics.ts';

function stackSpec(p: CutoverParams): StackSpec {
  return {
    population: { organisations: [{ name: 'Previous service', users: p.accounts }], weakPasswordShare: 0, maxDevices: 0 },
    mailstores: [{ name: 'old', seedMessages: { median: 3, sigma: 0.5, sizeMedianBytes: 2000 } }, { name: 'new' }],
    deliverTo: 'old',
    standby: { enabled: true, nodes: p.newNodes, mta: { deliveryRatePerSec: p.newDeliveryRatePerSec, highWater: p.newHighWater } },
  };
}

function chaos(p: CutoverParams): Timeline {
  const t = cutoverPhases(p);
  const steps: Timeline[number][] = [];
  nodeRoles(p).forEach((role, i) => {
    if (role !== 'never_ready') return;
    for (const kind of ['relay', 'submission'] as const) steps.push({ kind: 'down', at: 0, proxy: nodeEndpoint(kind, i + 1) });
  });
  if (p.storeLatencyMs > 0) {
    steps.push({ kind: 'add', at: t.switchAtMs, toxic: { type: 'latency', proxy: 'imap-new', name: 'new_store_slow', attributes: { latency: p.storeLatencyMs, jitter: 0 } } });
  }
  return steps;
}

function options(p: CutoverParams): Options {
  const t = cutoverPhases(p);
  const graceful = `${Math.ceil(p.senderAttempts * p.retrySeconds + 10)}s`;
  const maxVUs = Math.max(40, Math.ceil(p.rate * (p.senderAttempts * p.retrySeconds + 5)));
  const executor = (exec: string, perSecond: number): ExecutorConfig => ({
    executor: 'constant-arrival-rate', exec, rate: Math.max(1, Math.round(perSecond * 10)), timeUnit: '10s', duration: `${t.loadMs}ms`,
    preAllocatedVUs: 10, maxVUs, gracefulStop: graceful,
  });
  const scenarios: Record<string, ExecutorConfig> = {};
  if (p.relayShare > 0) scenarios['relay'] = executor('inbound', p.rate * p.relayShare);
  if (p.relayShare < 1) scenarios['submission'] = executor('submit', p.rate * (1 - p.relayShare));
  return {
    scenarios,
    thresholds: {
      mail_lost: [{ threshold: 'count==0', description: 'the ledger: an accepted message was never delivered nor bounced' }],
      mail_stranded: [{ threshold: 'count==0', description: 'accepted mail left on the new platform\'s store: not in the user\'s mailbox after the rollback' }],
      mail_missing: [{ threshold: 'count==0', description: 'accepted mail in no mailbox at all after the rollback' }],
      mail_duplicated: [{ threshold: 'count==0', description: 'a message arrived more than once' }],
      congestion_bounced: [{ threshold: `rate<${p.maxBounceShare}`, description: `more than ${p.maxBounceShare * 100}% of the messages bounced (senders gave up on 4xx and refused connections the old platform would not have given)` }],
      window_delivery_delay: [{ threshold: `p(99)<${p.maxDelaySeconds * 1000}`, description: `p99 delay of the window's mail to the mailbox its user reads after the round trip exceeded ${p.maxDelaySeconds} s` }],
      rollback_seconds: [{ threshold: `max<=${p.rtoSeconds}`, description: `traffic was not back on the old platform within the RTO of ${p.rtoSeconds} s of the first failure (no samples: never rolled back)` }],
      mailbox_inconsistent: [{ threshold: 'count==0', description: 'a mailbox after the rollback misses accepted mail, holds a copy twice or lost its state from before the switch' }],
      login_regressions: [{ threshold: 'count==0', description: 'a user who could log in before the switch cannot after the rollback (2004: no new passwords needed)' }],
      'cutover_mail{to:old}': [{ threshold: 'count>0', description: 'the old platform accepted nothing: the replay measured no mail' }],
    },
  };
}

export const cutover = defineScenario({
  name: 'cutover',
  description:
    'Old and new platform (the new one a standby MTA of 4 nodes, each behind its own proxies, and its own store), a front end that points inbound relay and ' +
    'submission at one or the other as MX and submission DNS would, and 500 accounts. After 10 s the front end switches to the new platform: 1 node never ' +
    'becomes ready, 1 crashes after 10 messages, its store takes 3 deliveries/s and answers IMAP 150 ms late, its queue congests (451 over 30 queued) and ' +
    'senders give up after 5 attempts 3 s apart. protected=true: readiness check, health gate, automatic rollback, drain-back (passes); protected=false: ' +
    'blind switch, rollback by hand after 30 s, no drain-back (fails on bounces, stranded mail, delay, RTO, mailboxes). On docker the new platform is one standby ' +
    'Postfix behind the four nodes\' proxies, its delivery paced by rate delays and its congestion postfwd\'s 451 intake limit (stack notes say how), its store its own Dovecot.',
  incident:
    'Launch-day cutover, 2004: the new service\'s servers failed to initialise at launch; the data migration was too slow for the allotted time ("with the ' +
    'potential for lost data"); the programme rolled back to the old service "in a planned way"; "no data has been lost" and no password changes were needed; ' +
    'a handful of e-mails bounced from over-congestion on the Friday; some addresses still saw delays on the Monday. About 25,000 accounts had signed up to the ' +
    'previous service. The replay must show a cutover with readiness and health gates, an automatic rollback within an RTO, nothing lost or stranded, and ' +
    'logins and mailboxes intact after the round trip.',
  params: cutoverParams,
  scale: scaleCutover,
  stack: stackSpec,
  options,
  // One message per iteration to the relay or to submission, wherever the front end points
  // (the old platform or a node of the new one); a 4xx is retried up to senderAttempts times,
  // which adds to this only while the new platform congests.
  load: (p) => {
    const note = `1 message; up to ${p.senderAttempts} attempts while the new platform refuses`;
    const per = { messages: 1, bytes: Math.round(p.messageKB * 1024), connections: 1 };
    return { inbound: { perIteration: { smtp: per }, note }, submit: { perIteration: { submission: per }, note } };
  },
  chaos,
  metrics: CUTOVER_METRICS,
  setup: async (ctx): Promise<CutoverData> => createData(ctx),
  flows: { inbound, submit },
  monitor: (ctx) => {
    const t = cutoverPhases(ctx.params);
    watch(ctx, t.switchAtMs, t.manualRollbackAtMs);
  },
  drain: (p) => ({ timeout: p.drainTimeout }),
  story: () => cutoverStory(),
  finish: (ctx) => reportCutover(ctx),
  teardown: async (ctx) => {
    const d = ctx.data;
    if (!d) return;
    // Crashed nodes were taken down by the replay, not the timeline: bring them back up here.
    for (const node of d.crashed) {
      for (const kind of ['relay', 'submission'] as const) await d.toxiproxy.setEnabled(nodeEndpoint(kind, node), true).catch(() => {});
    }
  },
});

export default cutover;
