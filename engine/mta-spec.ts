// What a scenario asks of the stack's MTA, and the reply-all storm protection defaults,
// declared once here: the stack contract, the fake MTA and the reply-all-storm replay all
// read these, so a changed default cannot drift between them.

/** Reply-all storm protection modelled on Exchange Online's; a field left out takes its default. */
export interface StormProtectionSpec {
  /** Recipients (after list expansion) a message needs to count as a reply-all. */
  minRecipients?: number;
  /** Reply-alls to one thread within the window that engage the block. */
  minReplyAlls?: number;
  /** Sliding window, ms of clock time. */
  windowMs?: number;
  /** How long the thread stays blocked, ms of clock time. */
  blockMs?: number;
}

/**
 * Exchange Online's published reply-all storm protection: 10 reply-alls to a thread of at
 * least 2,500 recipients within 60 minutes block further reply-alls to it for 6 hours.
 */
export const EXCHANGE_ONLINE_STORM_PROTECTION: Readonly<Required<StormProtectionSpec>> = Object.freeze({
  minRecipients: 2500,
  minReplyAlls: 10,
  windowMs: 60 * 60_000,
  blockMs: 6 * 60 * 60_000,
});

/** The storm protection `spec` asks for, every field filled from Exchange Online's defaults. */
export function stormProtectionOf(spec: StormProtectionSpec): Required<StormProtectionSpec> {
  return { ...EXCHANGE_ONLINE_STORM_PROTECTION, ...spec };
}

/** The MTA part of a stack spec. Every field is optional; providers apply documented defaults. */
export interface MtaSpec {
  deliveryWorkers?: number;
  /** deliveries per second the queue drains at, in total */
  deliveryRatePerSec?: number;
  /** queued deliveries above which new mail gets 451 4.3.2 */
  highWater?: number;
  /** messages per sender per minute before 450 4.7.x */
  perSenderPerMinute?: number;
  maxMessageBytes?: number;
  /** false or absent: off, so a replay can show the harm. */
  stormProtection?: false | StormProtectionSpec;
}
