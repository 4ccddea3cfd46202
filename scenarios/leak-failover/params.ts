// Parameters of the leak-failover replay and the timings derived from them. The leak is
// time-compressed (default one real second per simulated day, so five weeks take 35 s);
// the hard failure and the failover after it run in real time, because an RTO is a
// wall-clock promise.
import { z } from 'zod';
import { InputError } from '../../engine/errors.ts';

/** 2018: the complete shutdown at 12:30 on a Saturday was restored by about 18:00. */
export const INCIDENT_OUTAGE_HOURS = 5.5;
const DAY_SECONDS = 86_400;

export const leakFailoverParams = z.object({
  standbyBroken: z.boolean().default(false)
    .describe('the standby MTA answers 421 and never takes over, as the 2018 backups did not kick in (failover and standby gates fail)'),
  rtoSeconds: z.number().positive().max(3600).default(60)
    .describe('gate: real seconds from the primary\'s hard failure to the first message the standby accepts (recovery time objective)'),
  minLeadDays: z.number().min(0).max(365).default(7)
    .describe('gate: the trend alarm must fire at least this many simulated days before the hard failure'),
  secondsPerSimDay: z.number().min(0.1).max(60).default(1)
    .describe('real seconds per simulated day while the leak grows (1: five weeks in 35 s, time compression 86,400)'),
  baselineSeconds: z.number().min(10).max(600).default(20)
    .describe('real seconds of healthy load before the faulty upgrade (the trend alarm learns its baseline here)'),
  leakWeeks: z.number().positive().max(52).default(5)
    .describe('simulated weeks from the upgrade (the leak starts) to the hard failure'),
  afterFailureSeconds: z.number().min(5).max(600).default(25)
    .describe('real seconds the load keeps running after the hard failure; a standby that accepted nothing by then has not failed over'),
  leakLatencyMs: z.number().int().min(0).max(4000).default(1200)
    .describe('latency the leaking device adds to every reply at its worst (ms, ramped from 0)'),
  leakBandwidthKBps: z.number().min(1).max(2000).default(20)
    .describe('bandwidth the leaking device passes at its worst (KB/s per connection, ramped down from 2,000)'),
  stallEveryDays: z.number().positive().max(365).default(6)
    .describe('simulated days between stalls (a timeout toxic on a share of connections) while the leak grows'),
  stallShare: z.number().min(0).max(1).default(0.2).describe('share of connections a stall hits'),
  rate: z.number().min(0.5).max(500).default(8).describe('background submissions per real second through the failover rule'),
  senders: z.number().int().min(1).max(10_000).default(20).describe('users who submit the background mail'),
  messageKB: z.number().min(1).max(10_000).default(20).describe('size of each background message, KB'),
  checkIntervalMs: z.number().int().min(100).max(60_000).default(1000).describe('front end: health check interval per endpoint (SMTP banner check)'),
  failuresToDown: z.number().int().min(1).max(20).default(2).describe('front end: failed checks in a row that mark an endpoint down'),
  alarmAboveMs: z.number().min(1).max(60_000).default(250)
    .describe('trend alarm: submission time must rise at least this much above its baseline (ms) to count'),
  drainTimeout: z.string().default('20s').describe('after the load, how long outstanding deliveries may take before they count as lost'),
});

export type LeakFailoverParams = z.output<typeof leakFailoverParams>;

/** Real-time layout of a run, all in ms from the start of the load. */
export interface Phases {
  leakStartMs: number;
  leakMs: number;
  failAtMs: number;
  loadMs: number;
  /** simulated-to-real speed-up of the leak phase */
  compression: number;
}

export function phases(p: LeakFailoverParams): Phases {
  const leakMs = Math.round(p.leakWeeks * 7 * p.secondsPerSimDay * 1000);
  if (leakMs > 600_000) {
    throw new InputError(`--set leakWeeks=${p.leakWeeks}: ${Math.round(leakMs / 1000)} real seconds of leak is too long (at most 600; lower secondsPerSimDay)`);
  }
  if (p.stallEveryDays * p.secondsPerSimDay * 1000 < 1000) {
    throw new InputError(`--set stallEveryDays=${p.stallEveryDays}: stalls would come less than a real second apart (raise it or secondsPerSimDay)`);
  }
  const leakStartMs = Math.round(p.baselineSeconds * 1000);
  const failAtMs = leakStartMs + leakMs;
  return { leakStartMs, leakMs, failAtMs, loadMs: failAtMs + Math.round(p.afterFailureSeconds * 1000), compression: DAY_SECONDS / p.secondsPerSimDay };
}

/** Real seconds to simulated days in the leak phase. */
export function simDays(p: LeakFailoverParams, realSeconds: number): number {
  return realSeconds / p.secondsPerSimDay;
}

/** Grows the load (not the timings): more senders and more mail per second. */
export function scaleLeakFailover(p: LeakFailoverParams, factor: number): LeakFailoverParams {
  return { ...p, rate: Math.min(500, p.rate * factor), senders: Math.min(10_000, Math.max(1, Math.round(p.senders * factor))) };
}
