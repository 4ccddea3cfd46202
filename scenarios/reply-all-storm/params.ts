// Parameters of the reply-all-storm replay. Defaults replay 40 simulated minutes (one real
// second each) against a national list of 20,000 members, 1/60 of the platform's 1.2 million
// accounts; `--scale 60` grows the list to the real size.
import { z } from 'zod';
import { EXCHANGE_ONLINE_STORM_PROTECTION } from '../../engine/mta-spec.ts';

/** Accounts on the platform in November 2016: the real size of the national list. */
export const INCIDENT_ACCOUNTS = 1_200_000;
/**
 * The 2016 distribution list: the "840,000" of the public reports is the number of addresses
 * the original went to (the platform had 1.2 million accounts). The harm was some 500 million
 * e-mails crossing the network within about 75 minutes.
 */
export const INCIDENT_LIST_MEMBERS = 840_000;
export const INCIDENT_NETWORK_EMAILS = 500_000_000;
export const INCIDENT_STORM_MINUTES = 75;
/** --scale factor at which the list reaches the incident's 1.2 million members. */
export const REAL_SCALE = 60;
/** Bound of maxStormDeliveries under --scale (some 100 MB of ledger). */
export const MAX_SCALED_STORM_DELIVERIES = 20_000_000;
/** Exchange Online's reply-all storm protection in the replay's units (declared once in engine/mta-spec.ts). */
export const EXCHANGE_ONLINE_STORM = {
  minRecipients: EXCHANGE_ONLINE_STORM_PROTECTION.minRecipients,
  minReplyAlls: EXCHANGE_ONLINE_STORM_PROTECTION.minReplyAlls,
  windowMinutes: EXCHANGE_ONLINE_STORM_PROTECTION.windowMs / 60_000,
  blockHours: EXCHANGE_ONLINE_STORM_PROTECTION.blockMs / 3_600_000,
} as const;

export const replyAllStormParams = z.object({
  stormProtection: z.boolean().default(true)
    .describe('the stack claims Exchange-Online-style reply-all storm protection; false replays the 2016 platform (gates fail)'),
  listMembers: z.number().int().min(100).max(2_000_000).default(20_000)
    .describe('members of the national distribution list (incident: 1.2 million accounts; --scale 60 reaches it)'),
  backgroundUsers: z.number().int().min(1).max(2_000_000).default(600)
    .describe('list members who send and receive their normal mail during the storm'),
  sentPerUserPerDay: z.number().min(0).max(1000).default(40).describe('messages a background user sends a day (Exchange sizing guidance: 20-60)'),
  receivedPerUserPerDay: z.number().min(0).max(5000).default(100).describe('messages a background user receives a day (Exchange sizing guidance: 50-150)'),
  recipientsPerMessage: z.number().min(1).max(50).default(1.5).describe('internal recipients of each message a background user sends; the rest of their received mail comes in from outside'),
  messageKB: z.number().min(1).max(10_000).default(75).describe('average message size, KB (Exchange sizing guidance: 75 KB)'),
  timeCompression: z.number().min(1).max(100_000).default(60).describe('simulated minutes per real minute (60: one real second is one simulated minute)'),
  simMinutes: z.number().positive().max(7 * 24 * 60).default(40).describe('simulated minutes of background mail'),
  stormStartMinute: z.number().min(0).default(3).describe('simulated minute the original message goes to the list'),
  stormMinutes: z.number().positive().default(30).describe('simulated minutes people keep replying (the storm phase)'),
  replyBaseRatePerMin: z.number().min(0).default(0.7).describe('reply-alls a minute from people reading the original, before any excitation'),
  branching: z.number().min(0).max(10).default(1.3).describe('further reply-alls one reply-all causes on average (above 1 the storm grows)'),
  removeMeShare: z.number().min(0).max(1).default(0.25).describe('share of replies that are "please remove me from this list"'),
  removeMeExcitation: z.number().min(0).max(10).default(1.6).describe('how much more a "remove me" reply excites the storm than an ordinary reply-all'),
  excitationDecayMinutes: z.number().positive().default(4).describe('mean life of one reply\'s excitation, simulated minutes'),
  maxReplyAlls: z.number().int().min(1).max(100_000).default(300).describe('bound: reply-alls generated at most'),
  maxStormDeliveries: z.number().int().min(1).max(100_000_000).default(2_000_000).describe('bound: storm deliveries accepted at most; the storm stops generating replies when reached (figure storm_cap_hit)'),
  maxReplyAllsInFlight: z.number().int().min(1).max(1000).default(32).describe('reply-all submissions in flight at once'),
  deliveryRatePerSec: z.number().positive().default(20_000).describe('MTA delivery capacity, deliveries per real second (all workers together)'),
  deliveryWorkers: z.number().int().min(1).max(1024).default(64).describe('MTA delivery workers'),
  highWater: z.number().int().min(1).default(600_000).describe('queued deliveries at which the MTA answers new mail with 451 4.3.2'),
  maxBackgroundLatencySeconds: z.number().positive().default(15).describe('gate: p99 of background delivery latency, real seconds'),
  minSubmissionSuccess: z.number().min(0).max(1).default(0.99).describe('gate: share of background submissions the MTA must accept'),
  maxDrainSeconds: z.number().positive().default(15).describe('gate: the queue is back below drainedBelow within this many real seconds of the last accepted storm message'),
  drainedBelow: z.number().int().min(0).default(1000).describe('queue depth that counts as drained (background mail alone stays far below it)'),
  drainTimeout: z.string().default('120s').describe('after the load, how long outstanding deliveries may take before they count as lost'),
});

export type ReplyAllStormParams = z.output<typeof replyAllStormParams>;

/** Grows the list, the background population and the MTA with it; factor 60 reaches 1.2 million members. */
export function scaleReplyAllStorm(params: ReplyAllStormParams, factor: number): ReplyAllStormParams {
  const grow = (n: number) => Math.max(1, Math.round(n * factor));
  return {
    ...params,
    listMembers: Math.min(2_000_000, grow(params.listMembers)),
    backgroundUsers: grow(params.backgroundUsers),
    // Bounded: the ledger keeps a few bytes per expected delivery.
    maxStormDeliveries: Math.min(MAX_SCALED_STORM_DELIVERIES, grow(params.maxStormDeliveries)),
    deliveryRatePerSec: params.deliveryRatePerSec * factor,
    highWater: grow(params.highWater),
    drainedBelow: grow(params.drainedBelow),
  };
}

/** Real milliseconds of a span of simulated minutes. */
export function realMs(params: ReplyAllStormParams, simMinutes: number): number {
  return (simMinutes * 60_000) / params.timeCompression;
}

/** Background submissions a real second: background users' sent mail, time-compressed. */
export function sendsPerSec(params: ReplyAllStormParams): number {
  return (params.backgroundUsers * params.sentPerUserPerDay * params.timeCompression) / 86_400;
}

/** Inbound messages a real second from outside: received mail not already sent internally. */
export function inboundPerSec(params: ReplyAllStormParams): number {
  const external = Math.max(0, params.receivedPerUserPerDay - params.sentPerUserPerDay * params.recipientsPerMessage);
  return (params.backgroundUsers * external * params.timeCompression) / 86_400;
}

/** The incident's list as a multiple of the simulated one: the factor storm e-mails are projected by. */
export function listProjection(params: ReplyAllStormParams): number {
  return INCIDENT_LIST_MEMBERS / params.listMembers;
}
