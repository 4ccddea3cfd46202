// reply-all-storm: November 2016. One message to a national distribution list, then
// reply-alls arriving by a self-exciting model, each fanned out by the MTA to the whole
// list, while everyone else keeps sending and receiving their normal mail.
import { InputError } from '../../engine/errors.ts';
import { defineScenario, type FlowLoad } from '../../harness/scenario/types.ts';
import { SMTP_POOL_CONNECTIONS } from '../../engine/clients/smtp-client.ts';
import {
  EXCHANGE_ONLINE_STORM, inboundPerSec, realMs, replyAllStormParams, scaleReplyAllStorm, sendsPerSec, type ReplyAllStormParams,
} from './params.ts';
import { createStormData, LIST_ADDRESS, type StormData } from './storm-state.ts';
import { runStorm } from './storm-driver.ts';
import { receiveBackground, sendBackground } from './background.ts';
import { reportStorm, sampleStorm } from './report.ts';
import type { Options } from '../../engine/options/types.ts';
import type { StackSpec } from '../../stack/types.ts';
import { stormStory } from './story.ts';
import { REPLY_ALL_STORM_METRICS } from './metrics.ts';

function stackSpec(p: ReplyAllStormParams): StackSpec {
  if (p.backgroundUsers > p.listMembers) {
    throw new InputError(`--set backgroundUsers=${p.backgroundUsers}: background users are list members, so at most listMembers (${p.listMembers})`);
  }
  if (p.stormStartMinute + p.stormMinutes > p.simMinutes) {
    throw new InputError(`--set stormMinutes=${p.stormMinutes}: the storm (from minute ${p.stormStartMinute}) must end within simMinutes (${p.simMinutes})`);
  }
  return {
    population: { organisations: [{ name: 'National platform', users: p.listMembers }], maxDevices: 0 },
    lists: [{ address: LIST_ADDRESS, members: 'all' }],
    deliverTo: 'sink',
    mta: {
      deliveryWorkers: p.deliveryWorkers,
      deliveryRatePerSec: p.deliveryRatePerSec,
      highWater: p.highWater,
      stormProtection: p.stormProtection
        ? {
            minRecipients: EXCHANGE_ONLINE_STORM.minRecipients,
            minReplyAlls: EXCHANGE_ONLINE_STORM.minReplyAlls,
            // The stack runs on the real clock: simulated spans are divided by the compression.
            windowMs: realMs(p, EXCHANGE_ONLINE_STORM.windowMinutes),
            blockMs: realMs(p, EXCHANGE_ONLINE_STORM.blockHours * 60),
          }
        : false,
    },
  };
}

function options(p: ReplyAllStormParams): Options {
  const ms = (n: number) => `${Math.max(1, Math.round(n))}ms`;
  const background = realMs(p, p.simMinutes);
  const scenarios: Options['scenarios'] = {
    background_send: {
      executor: 'constant-arrival-rate', exec: 'background_send', rate: sendsPerSec(p), timeUnit: '1s', duration: ms(background),
      preAllocatedVUs: 10, maxVUs: 200, gracefulStop: '10s',
    },
    storm: {
      executor: 'per-vu-iterations', exec: 'storm', vus: 1, iterations: 1,
      startTime: ms(realMs(p, p.stormStartMinute)), maxDuration: ms(realMs(p, p.stormMinutes) + 20_000), gracefulStop: '10s',
    },
  };
  if (inboundPerSec(p) > 0) {
    scenarios.background_receive = {
      executor: 'constant-arrival-rate', exec: 'background_receive', rate: inboundPerSec(p), timeUnit: '1s', duration: ms(background),
      preAllocatedVUs: 10, maxVUs: 200, gracefulStop: '10s',
    };
  }
  const thresholds: NonNullable<Options['thresholds']> = {
    'delivery_latency{flow:background}': [{
      threshold: `p(99)<${p.maxBackgroundLatencySeconds * 1000}`,
      description: `everyone else's mail waited behind the storm: 1 in 100 background deliveries took ${p.maxBackgroundLatencySeconds} s or more`,
    }],
    background_submission_ok: [{
      threshold: `rate>${p.minSubmissionSuccess}`,
      description: 'users were shut out: the MTA refused their submissions (451, queue over its high-water mark)',
    }],
    storm_queue_drain_seconds: [{
      threshold: `value<=${p.maxDrainSeconds}`,
      description: `the queue was still backed up ${p.maxDrainSeconds} s after the last storm message was accepted`,
    }],
    mail_lost: [{ threshold: 'count==0', description: 'a message the stack accepted never arrived' }],
    mail_duplicated: [{ threshold: 'count==0', description: 'a message arrived more than once' }],
  };
  if (p.stormProtection) {
    thresholds.storm_replyalls_before_block = [{
      threshold: `value<=${EXCHANGE_ONLINE_STORM.minReplyAlls}`,
      description: `the stack claims storm protection, but it let more than ${EXCHANGE_ONLINE_STORM.minReplyAlls} reply-alls through (Exchange Online blocks at ${EXCHANGE_ONLINE_STORM.minReplyAlls})`,
    }];
  }
  return { scenarios, thresholds };
}

/**
 * What each flow sends. The storm is one iteration that submits the original and at most
 * maxReplyAlls replies (fewer once maxStormDeliveries is reached, blocked ones included); the platform fans each out
 * to the list, which is its own load, not what mailstorm sends. Every sender keeps its own
 * one-connection pool open, so connections follow the distinct senders.
 */
function load(p: ReplyAllStormParams): Record<string, FlowLoad> {
  const size = Math.round(p.messageKB * 1024);
  // generated replies are bounded by maxReplyAlls; blocked or refused ones were still sent
  const replies = p.maxReplyAlls;
  return {
    storm: {
      perIteration: { submission: { messages: 1 + replies, bytes: (1 + replies) * size, connections: 1, connectionsAtMost: Math.min(p.listMembers, 1 + replies) } },
      note: `1 original + at most ${replies} reply-alls, ${p.maxReplyAllsInFlight} in flight; no pace of its own (the model's rate)`,
    },
    background_send: { perIteration: { submission: { messages: 1, bytes: size, connections: 1, connectionsAtMost: p.backgroundUsers } } },
    background_receive: { perIteration: { smtp: { messages: 1, bytes: size, connections: 1, connectionsAtMost: SMTP_POOL_CONNECTIONS } } },
  };
}

export const replyAllStorm = defineScenario({
  name: 'reply-all-storm',
  description:
    'A message to a national distribution list, then reply-alls by a self-exciting (Hawkes) model, each fanned out to the whole list, ' +
    'while background users send and receive their normal mail (40 sent / 100 received a day, 75 KB). Defaults: a list of 20,000 ' +
    '(1/60 of the 1.2 million accounts), 40 simulated minutes in 40 s; storm e-mails are projected to the incident\'s list of 840,000 addresses. ' +
    'stormProtection=false replays the 2016 platform (gates fail); the default, Exchange-Online-style protection, passes.',
  incident:
    'Reply-all storm, November 2016: a message went to a distribution list of some 840,000 addresses and a fault in reply-all let the replies go to all of them; ' +
    'about 500 million e-mails crossed the network within some 75 minutes and some users were shut out for several hours; 1.2 million accounts on the platform. The replay must show that everyone else\'s mail keeps flowing (background delivery latency, ' +
    'submission success), storm protection engages if the stack has it, the queue drains, and nothing is lost.',
  params: replyAllStormParams,
  scale: scaleReplyAllStorm,
  stack: stackSpec,
  options,
  load,
  metrics: REPLY_ALL_STORM_METRICS,
  setup: async (ctx): Promise<StormData> => createStormData(ctx),
  flows: {
    storm: runStorm,
    background_send: sendBackground,
    background_receive: receiveBackground,
  },
  monitor: (ctx) => sampleStorm(ctx),
  story: () => stormStory(),
  drain: (p) => ({ timeout: p.drainTimeout }),
  async finish(ctx) {
    reportStorm(ctx);
  },
  async teardown(ctx) {
    await ctx.data.smtp.close();
  },
});

export default replyAllStorm;
