// The workload model of the 2009 lockout wave: who must reset, when they do, which device
// they update first, and when each further device (still holding the old password) retries.
// Pure planning over the directory's view of the population: no sockets, no clocks.
import type { Random } from '../../engine/random.ts';
import type { DirectoryService } from '../../directory/types.ts';
import type { Timed } from './event-queue.ts';

export interface RetryModel {
  heartbeatMinMs: number;
  heartbeatMaxMs: number;
  resetDelayMedianMs: number;
  deviceUpdateMedianMs: number;
  /** sigma of the log-normal delays */
  delaySigma: number;
  mistypeShare: number;
  /** share of users not forced to reset who log in during the day */
  loginShare: number;
  /** events after this (ms since T0) are not planned */
  horizonMs: number;
}

export interface PlannedDevice {
  id: string;
  intervalMs: number;
  /** true for the device the user types the new password into at the reset */
  primary: boolean;
  /** no more syncs once it has synced with the current password */
  done: boolean;
}

export interface PlannedUser {
  address: string;
  organisation: string;
  /** forced to reset at T0 */
  weak: boolean;
  devices: PlannedDevice[];
  /** the user typed a wrong password at least once (ground truth kept by the workload) */
  mistyped: boolean;
}

export type LockoutEvent =
  | (Timed & { kind: 'reset'; user: number })
  | (Timed & { kind: 'login'; user: number })
  | (Timed & { kind: 'sync'; user: number; device: number })
  | (Timed & { kind: 'update'; user: number; device: number });

export interface LockoutPlan {
  users: PlannedUser[];
  events: LockoutEvent[];
}

/** Uniform in [min, max]. */
function uniform(random: Random, min: number, max: number): number {
  return min + random.next() * (max - min);
}

/**
 * Plans the day after the stricter policy went live: when each weak user resets (log-normal
 * delay) and which device they type the new password into; when a share of everyone else
 * logs in (and sometimes mistypes). Each further device's heartbeat interval is drawn here;
 * its retries and its eventual update are scheduled from the moment the reset really
 * happened (see LockoutWorkload). Call after enforceStrictPolicy() so forced resets are known.
 */
export function planLockoutDay(directory: DirectoryService, model: RetryModel, random: Random): LockoutPlan {
  const users: PlannedUser[] = [];
  const events: LockoutEvent[] = [];
  const pick = random.fork('devices');
  const delays = random.fork('delays');
  for (let i = 0; i < directory.userCount; i++) {
    const info = directory.user(directory.addressAt(i));
    if (!info) continue;
    const primary = info.devices.length > 0 ? pick.int(0, info.devices.length - 1) : -1;
    const user: PlannedUser = {
      address: info.address,
      organisation: info.organisation,
      weak: info.forcedReset,
      mistyped: false,
      devices: info.devices.map((d, slot) => ({
        id: d.id,
        intervalMs: uniform(pick, model.heartbeatMinMs, model.heartbeatMaxMs),
        primary: slot === primary,
        done: false,
      })),
    };
    users.push(user);
    if (!user.weak) {
      // A working day: logins spread over the first nine hours.
      const at = uniform(delays, 0, Math.min(model.horizonMs, 9 * 3_600_000));
      if (delays.next() < model.loginShare) events.push({ kind: 'login', user: i, at });
      continue;
    }
    const resetAt = delays.logNormal(model.resetDelayMedianMs, model.delaySigma);
    if (resetAt < model.horizonMs) events.push({ kind: 'reset', user: i, at: resetAt });
  }
  return { users, events };
}

/** Counts of the plan, for figures: weak users and devices left holding the old password. */
export function planSummary(plan: LockoutPlan): { users: number; weak: number; staleDevices: number; devices: number } {
  let weak = 0;
  let staleDevices = 0;
  let devices = 0;
  for (const u of plan.users) {
    devices += u.devices.length;
    if (!u.weak) continue;
    weak++;
    staleDevices += u.devices.filter((d) => !d.primary).length;
  }
  return { users: plan.users.length, weak, staleDevices, devices };
}
