// Parameters of the mass-lockout replay. Defaults run a tenth of the incident's trust
// (1,250 of 12,500 users) plus four smaller organisations through one simulated working
// day in about a minute of real time.
import { z } from 'zod';
import { parseDuration } from '../../engine/duration.ts';

/** The incident's trust: 500 accounts locked in a day were 4% of its users. */
export const INCIDENT_TRUST_USERS = 12_500;
export const INCIDENT_TRUST_LOCKED = 500;
export const INCIDENT_PLATFORM_PEAK_LOCKED = 167;

export const massLockoutParams = z.object({
  lockoutPolicy: z.enum(['ad', 'smart']).default('smart')
    .describe('ad = AD-style counter, locked until the helpdesk unlocks (as in 2009); smart = smart lockout (repeated identical bad passwords not counted)'),
  trustUsers: z.number().int().min(20).max(2_000_000).default(1250)
    .describe('users of the trust that reproduces "500 accounts (4%) locked in a day" (incident: 12,500)'),
  otherOrganisations: z.number().int().min(0).max(200).default(4).describe('further organisations on the platform'),
  usersPerOrganisation: z.number().int().min(1).max(2_000_000).default(250).describe('users of each further organisation'),
  weakPasswordShare: z.number().min(0).max(1).default(0.12)
    .describe('share of users whose legacy password fails the stricter policy (forced reset at T0); calibrated so AD lockout reproduces about 4%'),
  maxDevices: z.number().int().min(0).max(10).default(3).describe('devices per user are uniform 0..maxDevices'),
  heartbeatMinSeconds: z.number().min(1).default(60).describe('shortest device retry interval, simulated seconds (ActiveSync heartbeat range 60-3540)'),
  heartbeatMaxSeconds: z.number().min(1).default(3540).describe('longest device retry interval, simulated seconds'),
  resetDelayMedianMinutes: z.number().min(0).default(90).describe('median delay from T0 until a user resets the password (log-normal)'),
  deviceUpdateMedianHours: z.number().min(0).default(6).describe('median delay from the reset until the user updates each further device (log-normal)'),
  mistypeShare: z.number().min(0).max(1).default(0.05).describe('share of logins where the user first mistypes the password'),
  loginShare: z.number().min(0).max(1).default(0.25)
    .describe('share of the users not forced to reset who log in (IMAP) during the replayed day; every forced user does'),
  adThreshold: z.number().int().min(1).default(5).describe('AD lockout threshold (bad attempts), assumed for a 2009 domain policy'),
  adObservationMinutes: z.number().min(1).default(30).describe('AD "reset account lockout counter after", minutes'),
  smartThreshold: z.number().int().min(1).default(10).describe('smart lockout threshold (Entra ID default 10)'),
  helpdeskEngineers: z.number().int().min(0).default(2).describe('engineers unlocking accounts'),
  unlocksPerEngineerPerHour: z.number().positive().default(6).describe('unlocks one engineer clears per hour (10 minutes a call)'),
  helpdeskClearByHours: z.number().positive().default(8).describe('the helpdesk backlog must be empty this many simulated hours after T0 (end of the working day)'),
  simHours: z.number().positive().max(24 * 14).default(24).describe('simulated hours replayed'),
  duration: z.string().default('60s').describe('real time the simulated hours are compressed into'),
  lateMinutes: z.number().min(0).default(15)
    .describe('an event that fires more than this many simulated minutes after its time counts as late (events_late; a warning when any are)'),
  workers: z.number().int().min(1).max(512).default(16).describe('VUs playing due device heartbeats (ActiveSync)'),
  userWorkers: z.number().int().min(1).max(512).default(16).describe('VUs playing due user logins and resets (IMAP)'),
  maxLockedPct: z.number().min(0).max(100).default(0.5).describe('gate: peak share of any organisation locked at once, %'),
  maxLockedHours: z.number().min(0).default(0.5).describe('gate: longest time one account stays locked, hours (incident: three working days)'),
  maxStaleDeviceLockouts: z.number().int().min(0).default(0).describe('gate: accounts locked whose user never typed a wrong password'),
});

export type MassLockoutParams = z.output<typeof massLockoutParams>;

/**
 * Grows the population towards the incident's size (the trust reaches 12,500 users at factor
 * 10), the helpdesk with it, and the real time too, so the machine plays the same number of
 * logins and heartbeats a second as at the defaults.
 */
export function scaleMassLockout(params: MassLockoutParams, factor: number): MassLockoutParams {
  const capacity = params.helpdeskEngineers * params.unlocksPerEngineerPerHour * factor;
  const helpdeskEngineers = Math.max(1, Math.round(params.helpdeskEngineers * factor));
  return {
    ...params,
    trustUsers: Math.max(20, Math.round(params.trustUsers * factor)),
    usersPerOrganisation: Math.max(1, Math.round(params.usersPerOrganisation * factor)),
    duration: `${Math.max(10, Math.round((parseDuration(params.duration, 'duration') * factor) / 1000))}s`,
    // The helpdesk grows with the population, so the ratio of calls to engineers stays the 2009 one.
    helpdeskEngineers,
    unlocksPerEngineerPerHour: capacity > 0 ? capacity / helpdeskEngineers : params.unlocksPerEngineerPerHour,
  };
}
