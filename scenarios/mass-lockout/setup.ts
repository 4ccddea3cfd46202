// What the replay asks of the stack, and the model parameters in milliseconds.
import { parseDuration } from '../../engine/duration.ts';
import type { StackSpec } from '../../stack/types.ts';
import type { RetryModel } from './device-retry.ts';
import type { MassLockoutParams } from './params.ts';

export const TRUST_NAME = 'Northgate NHS Trust';
const OTHER_NAMES = ['Riverside Community Health NHS Trust', 'Westmoor Primary Care Trust', 'Eastfield Hospitals NHS Trust', 'Kingsbridge NHS Foundation Trust'];

export function organisations(p: MassLockoutParams): { name: string; users: number }[] {
  const others = Array.from({ length: p.otherOrganisations }, (_, i) => ({
    name: i < OTHER_NAMES.length ? (OTHER_NAMES[i] as string) : `Organisation ${i + 1} NHS Trust`,
    users: p.usersPerOrganisation,
  }));
  return [{ name: TRUST_NAME, users: p.trustUsers }, ...others];
}

export function lockoutStack(p: MassLockoutParams): StackSpec {
  return {
    population: { organisations: organisations(p), weakPasswordShare: p.weakPasswordShare, maxDevices: p.maxDevices },
    // 2009: AD-style counter, and a locked account stayed locked until an engineer unlocked it.
    lockout: p.lockoutPolicy === 'ad'
      ? { policy: 'ad', threshold: p.adThreshold, observationWindowMs: p.adObservationMinutes * 60_000, lockoutDurationMs: 0 }
      : { policy: 'smart', threshold: p.smartThreshold },
    helpdesk: { engineers: p.helpdeskEngineers, unlocksPerEngineerPerHour: p.unlocksPerEngineerPerHour },
  };
}

export const realMs = (p: MassLockoutParams): number => parseDuration(p.duration, 'duration');
export const horizonMs = (p: MassLockoutParams): number => p.simHours * 3_600_000;
/** Simulated ms per real ms: the whole simulated day fits in `duration`. */
export const compression = (p: MassLockoutParams): number => horizonMs(p) / Math.max(1, realMs(p));

export function retryModel(p: MassLockoutParams): RetryModel {
  return {
    heartbeatMinMs: Math.min(p.heartbeatMinSeconds, p.heartbeatMaxSeconds) * 1000,
    heartbeatMaxMs: Math.max(p.heartbeatMinSeconds, p.heartbeatMaxSeconds) * 1000,
    resetDelayMedianMs: p.resetDelayMedianMinutes * 60_000,
    deviceUpdateMedianMs: p.deviceUpdateMedianHours * 3_600_000,
    delaySigma: 1,
    mistypeShare: p.mistypeShare,
    loginShare: p.loginShare,
    horizonMs: horizonMs(p),
  };
}
