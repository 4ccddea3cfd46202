// Parameters of the cutover replay. Defaults: 500 accounts (2% of the ~25,000 that had signed
// up to the previous service in 2004), 10 s on the old platform, then 40 s after the switch to
// the new one. The window runs in real time: an RTO and a delivery delay are wall-clock
// promises, so nothing here is compressed.
import { z } from 'zod';
import { InputError } from '../../engine/errors.ts';

/** 2004: about 25,000 accounts had signed up to the previous service. */
export const INCIDENT_ACCOUNTS = 25_000;

export const cutoverParams = z.object({
  protected: z.boolean().default(true)
    .describe('the runbook: readiness check before the switch, health gates after it, automatic rollback and drain-back; false replays 2004 (cut over blind, roll back by hand, no drain-back)'),
  accounts: z.number().int().min(10).max(100_000).default(500).describe('accounts in the directory (2004: about 25,000 had signed up to the previous service)'),
  recipients: z.number().int().min(1).max(10_000).default(100)
    .describe('users the window\'s mail is addressed to; each one\'s mailbox and login is checked before the switch and after the rollback'),
  rate: z.number().min(0.5).max(500).default(10).describe('messages per real second offered in total (inbound relay and submission)'),
  relayShare: z.number().min(0).max(1).default(0.6).describe('share of the messages arriving by inbound relay (MX); the rest are submitted by users'),
  baselineSeconds: z.number().min(3).max(600).default(10).describe('real seconds on the old platform before the switch'),
  windowSeconds: z.number().min(10).max(1800).default(40).describe('real seconds of load after the switch (the cutover window)'),
  newNodes: z.number().int().min(1).max(32).default(4).describe('MTA nodes of the new platform, each behind its own proxies'),
  neverReadyNodes: z.number().int().min(0).max(32).default(1).describe('assumption: nodes of the new platform that never become ready (2004: the servers failed to initialise)'),
  crashingNodes: z.number().int().min(0).max(32).default(1).describe('assumption: nodes that come up but crash after accepting crashAfterMessages'),
  crashAfterMessages: z.number().int().min(1).max(100_000).default(10).describe('messages a crashing node accepts before it crashes'),
  newDeliveryRatePerSec: z.number().min(0.1).max(10_000).default(3)
    .describe('assumption: deliveries per second the new platform\'s store takes (it answers slowly), so its queue backs up'),
  newHighWater: z.number().int().min(1).max(1_000_000).default(30).describe('queued deliveries on the new platform above which it answers 451 (congestion)'),
  storeLatencyMs: z.number().int().min(0).max(5000).default(150).describe('latency the new store\'s IMAP adds to every reply from the switch on (it answers slowly)'),
  senderAttempts: z.number().int().min(1).max(50).default(5)
    .describe('attempts a sending MTA or mail client makes before it gives up and the message bounces (assumption: a scaled-down retry schedule)'),
  retrySeconds: z.number().min(0.1).max(600).default(3).describe('real seconds between a sender\'s attempts'),
  readyQuorum: z.number().min(0).max(1).default(0.5).describe('runbook: share of the new nodes that must pass the readiness check for the switch to go ahead'),
  healthWindowSeconds: z.number().min(1).max(60).default(3).describe('runbook: health gate window after the switch (real seconds)'),
  maxFailShare: z.number().min(0).max(1).default(0.25).describe('runbook: share of attempts on the new platform failing (4xx, refused, reset) in the window that triggers the rollback'),
  minHealthSamples: z.number().int().min(1).max(10_000).default(8).describe('runbook: attempts the health window needs before it can call a rollback'),
  manualRollbackAfterSeconds: z.number().min(1).max(1800).default(30)
    .describe('protected=false: real seconds after the switch until the rollback by hand (2004 rolled back later, by people)'),
  rtoSeconds: z.number().positive().max(3600).default(20).describe('gate: real seconds from the first failure on the new platform to traffic back on the old one'),
  maxBounceShare: z.number().min(0).max(1).default(0.001).describe('gate: share of messages that may bounce from congestion (2004: "a handful")'),
  maxDelaySeconds: z.number().positive().max(86_400).default(30)
    .describe('gate: p99 of the delay from a window message\'s first attempt to its arrival in the mailbox its user reads after the round trip'),
  messageKB: z.number().min(1).max(10_000).default(4).describe('size of each message, KB'),
  drainTimeout: z.string().default('15s').describe('after the load, how long outstanding deliveries may take before they count as lost'),
});

export type CutoverParams = z.output<typeof cutoverParams>;

/** Real-time layout, ms from the start of the load. */
export interface CutoverPhases {
  switchAtMs: number;
  loadMs: number;
  manualRollbackAtMs: number;
}

export function cutoverPhases(p: CutoverParams): CutoverPhases {
  if (p.neverReadyNodes + p.crashingNodes > p.newNodes) {
    throw new InputError(`--set neverReadyNodes=${p.neverReadyNodes} crashingNodes=${p.crashingNodes}: together more than newNodes=${p.newNodes}`);
  }
  if (p.recipients >= p.accounts) throw new InputError(`--set recipients=${p.recipients}: must be fewer than accounts=${p.accounts} (the rest submit mail)`);
  const switchAtMs = Math.round(p.baselineSeconds * 1000);
  return { switchAtMs, loadMs: switchAtMs + Math.round(p.windowSeconds * 1000), manualRollbackAtMs: switchAtMs + Math.round(p.manualRollbackAfterSeconds * 1000) };
}

/** Nodes by role: crashing ones first, never-ready ones last, the rest healthy. */
export function nodeRoles(p: CutoverParams): ('crashes' | 'never_ready' | 'healthy')[] {
  return Array.from({ length: p.newNodes }, (_, i) => (i < p.crashingNodes ? 'crashes' : i >= p.newNodes - p.neverReadyNodes ? 'never_ready' : 'healthy'));
}

/** Grows the population, the checked users and the offered mail; the timings stay (the RTO is wall-clock). --scale 50 reaches 2004's 25,000 accounts. */
export function scaleCutover(p: CutoverParams, factor: number): CutoverParams {
  return {
    ...p,
    accounts: Math.min(100_000, Math.max(10, Math.round(p.accounts * factor))),
    recipients: Math.min(10_000, Math.max(1, Math.round(p.recipients * factor))),
    rate: Math.min(500, p.rate * factor),
    newHighWater: Math.min(1_000_000, Math.max(1, Math.round(p.newHighWater * factor))),
    newDeliveryRatePerSec: Math.min(10_000, p.newDeliveryRatePerSec * factor),
    crashAfterMessages: Math.min(100_000, Math.max(1, Math.round(p.crashAfterMessages * factor))),
  };
}
