// Counts failed attempts and lockouts by cause and tracks which accounts are locked now, so
// the directory can answer: how many locked, how many never typed a wrong password, the
// longest lockout, locked now per organisation. Failed attempts are only counted (and sent
// to the metrics sink), never stored one by one.
import type { MetricsSink } from '../engine/metrics/types.ts';
import type { DirectoryStats, FailureCause } from './types.ts';
import type { Population } from './population.ts';
import { declareAll } from '../engine/metrics/declare.ts';

const zero = (): Record<FailureCause, number> => ({ user: 0, 'stale-device': 0, unknown: 0 });

export class LockoutAccounting {
  readonly failures = zero();
  readonly lockouts = zero();
  readonly everLocked = new Set<number>();
  readonly #lockedNow = new Map<number, { at: number; until: number }>();
  #nextExpiry = Infinity;
  #peak = 0;
  #longestFinished = 0;

  constructor(private readonly population: Population, private readonly metrics?: MetricsSink) {
    if (metrics) {
      declareAll(metrics, {
        auth_failures: { kind: 'counter', unit: 'count', label: 'failed logins', topic: 'errors' },
        lockouts: { kind: 'counter', unit: 'count', label: 'account lockouts', topic: 'lockouts' },
      });
    }
  }

  failure(cause: FailureCause): void {
    this.failures[cause]++;
    this.metrics?.count('auth_failures', 1, { cause });
  }

  locked(i: number, cause: FailureCause, at: number, until: number): void {
    this.lockouts[cause]++;
    this.metrics?.count('lockouts', 1, { cause });
    this.everLocked.add(i);
    this.#lockedNow.set(i, { at, until });
    this.#nextExpiry = Math.min(this.#nextExpiry, until);
    this.#peak = Math.max(this.#peak, this.#lockedNow.size);
  }

  /** Returns how long the account was locked, or undefined when it was not locked. */
  unlocked(i: number, at: number): number | undefined {
    const lock = this.#lockedNow.get(i);
    if (!lock) return undefined;
    this.#lockedNow.delete(i);
    const ms = Math.min(at, lock.until) - lock.at;
    this.#longestFinished = Math.max(this.#longestFinished, ms);
    return ms;
  }

  /** Forgets lockouts that ran out by `now`; cheap when none is due. */
  expire(now: number): void {
    if (now < this.#nextExpiry) return;
    let next = Infinity;
    for (const [i, lock] of this.#lockedNow) {
      if (lock.until <= now) this.unlocked(i, lock.until);
      else next = Math.min(next, lock.until);
    }
    this.#nextExpiry = next;
  }

  stats(now: number, extra: Pick<DirectoryStats, 'lockedNeverTypedWrong' | 'forcedResetPending' | 'helpdesk'>): DirectoryStats {
    const p = this.population;
    const perOrg = new Array<number>(p.organisations.length).fill(0);
    let longest = this.#longestFinished;
    for (const [i, lock] of this.#lockedNow) {
      const o = p.organisationOf(i);
      perOrg[o] = (perOrg[o] ?? 0) + 1;
      longest = Math.max(longest, Math.min(now, lock.until) - lock.at);
    }
    return {
      users: p.size,
      failures: { ...this.failures },
      lockouts: { ...this.lockouts },
      accountsLocked: this.everLocked.size,
      lockedNow: this.#lockedNow.size,
      peakLockedNow: this.#peak,
      longestLockedMs: longest,
      organisations: p.organisations.map((o, k) => ({ name: o.name, users: o.users, lockedNow: perOrg[k] ?? 0 })),
      ...extra,
    };
  }
}
