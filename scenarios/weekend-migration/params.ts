// Parameters of the weekend-migration replay. Defaults move 2,200 accounts in 11 phases
// (1.8% of 2009's 122,565) through a 48-hour weekend compressed into 120 s of real time.
import { z } from 'zod';
import { parseDuration } from '../../engine/duration.ts';

/** 2009: 122,565 accounts, 57 corrupt ones not moved (99.95% success), 2.5 million e-mails sent meanwhile. */
export const INCIDENT_ACCOUNTS = 122_565;
export const INCIDENT_CORRUPT = 57;
export const INCIDENT_LIVE_MAIL = 2_500_000;
export const INCIDENT_WEEKEND_ACCOUNTS = 50_000;

export const weekendMigrationParams = z.object({
  movers: z.number().int().min(1).max(256).default(8)
    .describe('concurrent movers (IMAP copy sessions); 2 replays 2004 (too little: cannot finish in the window)'),
  accounts: z.number().int().min(1).max(1_000_000).default(2200).describe('accounts to migrate (2009: 122,565)'),
  phases: z.number().int().min(1).max(100).default(11).describe('phases (batches) with a checkpoint after each (2009: 11)'),
  corruptShare: z.number().min(0).max(1).default(INCIDENT_CORRUPT / INCIDENT_ACCOUNTS)
    .describe('share of source mailboxes holding a message that cannot be read (2009: 57 of 122,565); rounded to a whole number of mailboxes'),
  windowHours: z.number().positive().default(48).describe('the migration window (a weekend), simulated hours'),
  duration: z.string().default('120s').describe('real time the window is compressed into (8 movers need about 30 account moves a second of the machine)'),
  seedMedianMessages: z.number().min(0).default(2).describe('median messages per source mailbox (log-normal), scaled down'),
  seedSigma: z.number().min(0).default(1).describe('sigma of the log-normal message count'),
  sizeMedianBytes: z.number().int().min(200).default(3000).describe('median message size in bytes (log-normal)'),
  realMessagesPerSeeded: z.number().positive().default(500)
    .describe('messages one seeded message stands for when modelling move time (a 2-message mailbox stands for 1,000)'),
  moverMessagesPerSecond: z.number().positive().default(5).describe('modelled messages per simulated second one mover copies (assumed)'),
  accountOverheadSeconds: z.number().min(0).default(60).describe('modelled simulated seconds per account for provisioning, logins and checks (assumed)'),
  represents: z.number().positive().default(1)
    .describe('real accounts each simulated account stands for in the move-time model (a smaller run with the same window pressure); --scale sets a fraction when it rounds the movers'),
  checkpointHours: z.number().positive().default(2).describe('interim checkpoint every this many simulated hours, besides one per phase'),
  rollbackRatio: z.number().min(1).default(1.25)
    .describe('roll back at once when the projected duration exceeds the window by this factor (otherwise at the end of a phase)'),
  liveMailPerHour: z.number().min(0).default(8).describe('live messages per simulated hour sent to migrated and not-yet-migrated users'),
  liveRecipients: z.number().int().min(1).default(48).describe('users receiving live mail, spread evenly over the phases (each is checked over IMAP at the end)'),
  minSuccessPct: z.number().min(0).max(100).default(99.95).describe('gate: accounts moved and verified, % (2009: 99.95%)'),
});

export type WeekendMigrationParams = z.output<typeof weekendMigrationParams>;

export const windowMs = (p: WeekendMigrationParams): number => p.windowHours * 3_600_000;
export const realWindowMs = (p: WeekendMigrationParams): number => parseDuration(p.duration, 'duration');
/** Simulated ms per real ms: the whole window fits in `duration`. */
export const compression = (p: WeekendMigrationParams): number => windowMs(p) / Math.max(1, realWindowMs(p));
/** Corrupt mailboxes: a whole number, as in 2009 (57 of 122,565). */
export const corruptMailboxes = (p: WeekendMigrationParams): number => Math.round(p.accounts * p.corruptShare);

/**
 * Grows accounts, movers and live mail together, and the real time with them, so the rate of
 * real IMAP work stays what the defaults ask of the machine; --scale 22.73 reaches one 2009
 * weekend of 50,000 accounts. Movers are whole: where rounding gives more or fewer than the
 * factor asks (2 movers at --scale 0.125 are one mover, not a quarter), each simulated account
 * stands for as many more or fewer real ones, so every mover's share of the window, the
 * pressure the gate judges, stays the unscaled run's (2 movers still cannot finish in time).
 */
export function scaleWeekendMigration(p: WeekendMigrationParams, factor: number): WeekendMigrationParams {
  const movers = Math.min(256, Math.max(1, Math.round(p.movers * factor)));
  return {
    ...p,
    duration: `${Math.max(10, Math.round((realWindowMs(p) * factor) / 1000))}s`,
    accounts: Math.max(1, Math.round(p.accounts * factor)),
    movers,
    represents: (p.represents * movers) / (p.movers * factor),
    liveMailPerHour: p.liveMailPerHour * factor,
  };
}
