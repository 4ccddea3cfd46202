// Account lockout policies, selectable per stack: AD-style, smart-lockout-style, or none.
// Pure state machines over an injected time value: no clock reads, no I/O.
import type { AuthLocation } from './types.ts';
import { InputError } from '../engine/errors.ts';

export interface LockoutOptions {
  policy: 'ad' | 'smart' | 'none';
  threshold?: number;
  observationWindowMs?: number;
  /** 0 = until an engineer unlocks (AD only). */
  lockoutDurationMs?: number;
  /**
   * AD only. Windows Server 2003 SP1 and later do not count a bad password that matches one of
   * the account's two previous passwords (the "N-2" password-history check, for NTLM and
   * Kerberos). Off by default: the replayed platform counted stale devices' old passwords.
   */
  passwordHistoryCheck?: boolean;
}

/** Per-account counters; created on the first bad attempt, so accounts that never fail cost nothing. */
export interface LockState {
  badCount: number;
  lastBadAt: number;
  lockedUntil: number;
  /** Smart lockout: unfamiliar-location counters and lockout, kept apart from the familiar ones. */
  unfamiliar?: LockState;
  /** Smart lockout: fingerprints of the last 3 distinct bad passwords. */
  recent?: number[];
  /** Smart lockout: lockouts so far, so each next one lasts longer. */
  lockouts?: number;
}

export interface LockoutPolicy {
  readonly name: 'ad' | 'smart' | 'none';
  /** Lockout end (ms, Infinity = until unlocked) if locked at `now` for this location, else undefined. */
  lockedUntil(state: LockState, location: AuthLocation, now: number): number | undefined;
  /** Records a bad password (fingerprint = hash of it). Returns the lockout end when this attempt locks. */
  failure(state: LockState, fingerprint: number, location: AuthLocation, now: number): number | undefined;
  success(state: LockState, location: AuthLocation): void;
  unlock(state: LockState): void;
}

export const newLockState = (): LockState => ({ badCount: 0, lastBadAt: -Infinity, lockedUntil: -Infinity });

/**
 * AD defaults: threshold 10 (Microsoft security baseline "Account lockout threshold" = 10,
 * Windows 10 1903+ / Server 2019 baselines), observation window 15 min and duration 15 min
 * (the baseline values of "Reset account lockout counter after" and "Account lockout duration").
 */
export const AD_DEFAULTS = { threshold: 10, observationWindowMs: 15 * 60_000, lockoutDurationMs: 15 * 60_000 } as const;

/**
 * Entra ID smart lockout defaults (Microsoft Learn, "Protect user accounts from attacks with
 * Microsoft Entra smart lockout"): threshold 10, lockout duration 60 s, growing on repeated
 * lockouts; the same bad password repeated is not counted (last 3 bad hashes are tracked);
 * familiar and unfamiliar locations have separate counters. The growth factor is not
 * published; doubling, capped at one day, is assumed here.
 */
export const SMART_DEFAULTS = { threshold: 10, lockoutDurationMs: 60_000, maxLockoutMs: 24 * 3_600_000 } as const;

class AdLockout implements LockoutPolicy {
  readonly name = 'ad';
  constructor(readonly threshold: number, readonly windowMs: number, readonly durationMs: number) {}

  lockedUntil(state: LockState, _location: AuthLocation, now: number): number | undefined {
    return state.lockedUntil > now ? state.lockedUntil : undefined;
  }

  failure(state: LockState, _fingerprint: number, _location: AuthLocation, now: number): number | undefined {
    // MS-SAMR: a bad attempt after the observation window has passed since the last one restarts the count.
    // Identical bad passwords count every time (no password-history exemption modelled).
    if (now - state.lastBadAt > this.windowMs) state.badCount = 0;
    state.badCount++;
    state.lastBadAt = now;
    if (state.badCount < this.threshold) return undefined;
    state.badCount = 0;
    state.lockedUntil = this.durationMs === 0 ? Infinity : now + this.durationMs;
    return state.lockedUntil;
  }

  success(state: LockState): void {
    state.badCount = 0;
  }

  unlock(state: LockState): void {
    state.lockedUntil = -Infinity;
    state.badCount = 0;
  }
}

class SmartLockout implements LockoutPolicy {
  readonly name = 'smart';
  constructor(readonly threshold: number, readonly durationMs: number) {}

  #counters(state: LockState, location: AuthLocation): LockState {
    if (location === 'familiar') return state;
    state.unfamiliar ??= newLockState();
    return state.unfamiliar;
  }

  lockedUntil(state: LockState, location: AuthLocation, now: number): number | undefined {
    const c = this.#counters(state, location);
    return c.lockedUntil > now ? c.lockedUntil : undefined;
  }

  failure(state: LockState, fingerprint: number, location: AuthLocation, now: number): number | undefined {
    const c = this.#counters(state, location);
    c.recent ??= [];
    if (c.recent.includes(fingerprint)) return undefined;
    c.recent.push(fingerprint);
    if (c.recent.length > 3) c.recent.shift();
    c.badCount++;
    c.lastBadAt = now;
    if (c.badCount < this.threshold) return undefined;
    c.badCount = 0;
    c.lockouts = (c.lockouts ?? 0) + 1;
    const ms = Math.min(this.durationMs * 2 ** (c.lockouts - 1), SMART_DEFAULTS.maxLockoutMs);
    c.lockedUntil = now + ms;
    return c.lockedUntil;
  }

  success(state: LockState, location: AuthLocation): void {
    const c = this.#counters(state, location);
    c.badCount = 0;
    c.recent = [];
  }

  unlock(state: LockState): void {
    for (const c of [state, state.unfamiliar]) {
      if (!c) continue;
      c.lockedUntil = -Infinity;
      c.badCount = 0;
    }
  }
}

const noLockout: LockoutPolicy = {
  name: 'none',
  lockedUntil: () => undefined,
  failure: () => undefined,
  success: () => {},
  unlock: () => {},
};

export function lockoutPolicy(options: LockoutOptions = { policy: 'ad' }): LockoutPolicy {
  const threshold = options.threshold ?? (options.policy === 'smart' ? SMART_DEFAULTS.threshold : AD_DEFAULTS.threshold);
  if (!Number.isInteger(threshold) || threshold < 1) throw new InputError(`lockout.threshold must be a whole number >= 1, got ${threshold}`);
  for (const field of ['observationWindowMs', 'lockoutDurationMs'] as const) {
    const v = options[field];
    if (v !== undefined && !(v >= 0)) throw new InputError(`lockout.${field} must be >= 0 ms, got ${v}`);
  }
  switch (options.policy) {
    case 'ad':
      return new AdLockout(threshold, options.observationWindowMs ?? AD_DEFAULTS.observationWindowMs, options.lockoutDurationMs ?? AD_DEFAULTS.lockoutDurationMs);
    case 'smart':
      return new SmartLockout(threshold, options.lockoutDurationMs || SMART_DEFAULTS.lockoutDurationMs);
    case 'none':
      return noLockout;
    default:
      throw new InputError(`lockout.policy must be one of ad, smart, none; got ${String((options as { policy: unknown }).policy)}`);
  }
}
