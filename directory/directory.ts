// The directory: population, password policy, lockout, helpdesk and the accounting that lets
// a report say how many locked accounts never typed a wrong password.
import type { Clock } from '../engine/clock.ts';
import type { Random } from '../engine/random.ts';
import type { MetricsSink } from '../engine/metrics/types.ts';
import type { EventLog } from '../engine/events.ts';
import type {
  AuthLocation, AuthResult, AuthSource, DirectoryService, DirectoryStats, FailureCause,
  PasswordChangeResult, UserInfo,
} from './types.ts';
import { Population, defaultPopulation, type PopulationSpec } from './population.ts';
import { DistributionLists, type ListSpec } from './distribution-lists.ts';
import { legacyPolicy, strictPolicy, type PasswordPolicy } from './password-policy.ts';
import { lockoutPolicy, newLockState, type LockState, type LockoutOptions, type LockoutPolicy } from './lockout-policy.ts';
import { Helpdesk, HELPDESK_DEFAULTS, type HelpdeskOptions } from './helpdesk.ts';
import { LockoutAccounting } from './lockout-accounting.ts';
import { fnv1a } from './names.ts';

export interface DirectoryOptions {
  clock: Clock;
  random: Random;
  metrics?: MetricsSink;
  events?: EventLog;
  /** Mail domain of every user and list; default "nhs.test". */
  domain?: string;
  population?: PopulationSpec;
  lists?: readonly ListSpec[];
  /** Default: AD-style with its documented defaults. */
  lockout?: LockoutOptions;
  /** false = no helpdesk (until-unlock lockouts last until unlock() is called). */
  helpdesk?: HelpdeskOptions | false;
}

interface Account {
  lock: LockState;
  typedWrong: boolean;
}

export class Directory implements DirectoryService {
  readonly domain: string;
  readonly population: Population;
  readonly lockout: LockoutPolicy;
  readonly #lists: DistributionLists;
  readonly #clock: Clock;
  readonly #metrics: MetricsSink | undefined;
  readonly #events: EventLog | undefined;
  readonly #helpdesk: Helpdesk | undefined;
  readonly #accounts = new Map<number, Account>();
  readonly #forcedReset = new Set<number>();
  readonly #accounting: LockoutAccounting;
  #policy: PasswordPolicy = legacyPolicy;
  readonly #historyCheck: boolean;

  constructor(options: DirectoryOptions) {
    this.domain = (options.domain ?? 'nhs.test').toLowerCase();
    this.#clock = options.clock;
    this.#metrics = options.metrics;
    this.#events = options.events;
    this.population = new Population(options.population ?? defaultPopulation(), options.random.fork('population'), this.domain);
    this.#lists = new DistributionLists(this.population, options.lists);
    this.lockout = lockoutPolicy(options.lockout);
    this.#historyCheck = this.lockout.name === 'ad' && options.lockout?.passwordHistoryCheck === true;
    const helpdesk = options.helpdesk === undefined ? HELPDESK_DEFAULTS : options.helpdesk;
    this.#helpdesk = helpdesk ? new Helpdesk(helpdesk, this.#clock.now()) : undefined;
    this.#accounting = new LockoutAccounting(this.population, this.#metrics);
  }

  get userCount(): number {
    return this.population.size;
  }

  get passwordPolicy(): PasswordPolicy {
    return this.#policy;
  }

  authenticate(address: string, password: string, source: AuthSource, location: AuthLocation = 'familiar'): AuthResult {
    const now = this.#advance();
    const i = this.population.indexOf(address);
    if (i < 0) return { ok: false, reason: 'unknown-user' };
    const account = this.#accounts.get(i);
    const until = account && this.lockout.lockedUntil(account.lock, location, now);
    if (until !== undefined) return { ok: false, reason: 'locked', ...(until !== Infinity && { retryAfterMs: until - now }) };
    if (password === this.population.password(i)) {
      if (this.#forcedReset.has(i)) return { ok: false, reason: 'must-change-password' };
      if (account) this.lockout.success(account.lock, location);
      return { ok: true };
    }
    const cause = this.#causeOf(i, source);
    const acct = account ?? this.#account(i);
    if (cause === 'user') acct.typedWrong = true;
    this.#accounting.failure(cause);
    if (this.#historyCheck && this.population.wasRecentPassword(i, password)) return { ok: false, reason: 'bad-password' };
    const lockedUntil = this.lockout.failure(acct.lock, fnv1a(password), location, now);
    if (lockedUntil !== undefined) this.#lock(i, cause, now, lockedUntil);
    return { ok: false, reason: 'bad-password' };
  }

  exists(address: string): boolean {
    return this.population.indexOf(address) >= 0 || this.#lists.has(address);
  }

  user(address: string): UserInfo | undefined {
    const i = this.population.indexOf(address);
    if (i < 0) return undefined;
    const now = this.#advance();
    const p = this.population;
    const account = this.#accounts.get(i);
    const locked = account !== undefined && (this.lockout.lockedUntil(account.lock, 'familiar', now) !== undefined
      || this.lockout.lockedUntil(account.lock, 'unfamiliar', now) !== undefined);
    return {
      address: p.addressAt(i),
      index: i,
      organisation: p.organisations[p.organisationOf(i)]?.name ?? '',
      password: p.password(i),
      forcedReset: this.#forcedReset.has(i),
      locked,
      devices: Array.from({ length: p.deviceCount(i) }, (_, s) => ({
        id: p.deviceId(i, s), password: p.devicePassword(i, s), stale: p.deviceStale(i, s),
      })),
    };
  }

  addressAt(index: number): string {
    if (!Number.isInteger(index) || index < 0 || index >= this.population.size) throw new RangeError(`user index must be 0..${this.population.size - 1}, got ${index}`);
    return this.population.addressAt(index);
  }

  expand(address: string): readonly string[] | undefined {
    return this.#lists.expand(address);
  }

  lists(): readonly string[] {
    return this.#lists.addresses();
  }

  isListMember(list: string, address: string): boolean {
    return this.#lists.isMember(list, address);
  }

  enforceStrictPolicy(): number {
    this.#policy = strictPolicy;
    const p = this.population;
    for (let i = 0; i < p.size; i++) {
      // Generated passwords are weak exactly when flagged; only changed ones need checking.
      const fails = p.version(i) === 0 ? p.isWeak(i) : strictPolicy.check(p.password(i)) !== undefined;
      if (fails) this.#forcedReset.add(i);
    }
    this.#events?.record('password_policy', { policy: 'strict', forcedResets: this.#forcedReset.size });
    return this.#forcedReset.size;
  }

  changePassword(address: string, newPassword: string): PasswordChangeResult {
    const i = this.population.indexOf(address);
    if (i < 0) return { ok: false, reason: 'unknown-user', message: `no such user: ${address}` };
    const problem = this.#policy.check(newPassword);
    if (problem) return { ok: false, reason: 'policy', message: problem };
    this.population.setPassword(i, newPassword);
    this.#forcedReset.delete(i);
    return { ok: true };
  }

  updateDevicePassword(address: string, deviceId: string): boolean {
    const i = this.population.indexOf(address);
    const slot = i < 0 ? -1 : this.population.deviceSlot(i, deviceId);
    if (slot < 0) return false;
    this.population.updateDevice(i, slot);
    return true;
  }

  unlock(address: string): boolean {
    const i = this.population.indexOf(address);
    const account = i < 0 ? undefined : this.#accounts.get(i);
    if (!account) return false;
    const now = this.#advance();
    this.#helpdesk?.cancel(i);
    this.#release(i, account, now, 'admin');
    return true;
  }

  stats(): DirectoryStats {
    const now = this.#advance();
    let neverTypedWrong = 0;
    for (const i of this.#accounting.everLocked) if (!this.#accounts.get(i)?.typedWrong) neverTypedWrong++;
    return this.#accounting.stats(now, {
      lockedNeverTypedWrong: neverTypedWrong,
      forcedResetPending: this.#forcedReset.size,
      helpdesk: {
        backlog: this.#helpdesk?.backlog ?? 0,
        unlocked: this.#helpdesk?.unlocked ?? 0,
        longestWaitMs: this.#helpdesk?.longestWaitMs ?? 0,
      },
    });
  }

  helpdeskWaits(): readonly number[] {
    this.#advance();
    return this.#helpdesk?.waitsMs ?? [];
  }

  #account(i: number): Account {
    const account = { lock: newLockState(), typedWrong: false };
    this.#accounts.set(i, account);
    return account;
  }

  #causeOf(i: number, source: AuthSource): FailureCause {
    if (source.kind === 'user') return 'user';
    if (source.kind === 'unknown') return 'unknown';
    const slot = this.population.deviceSlot(i, source.deviceId);
    if (slot < 0) return 'unknown';
    // A device holding the current password that still fails was mistyped into by its user.
    return this.population.deviceStale(i, slot) ? 'stale-device' : 'user';
  }

  #lock(i: number, cause: FailureCause, now: number, until: number): void {
    this.#accounting.locked(i, cause, now, until);
    const organisation = this.population.organisations[this.population.organisationOf(i)]?.name;
    this.#events?.record('lockout', {
      address: this.population.addressAt(i), organisation, cause, policy: this.lockout.name,
      ...(until === Infinity ? { untilUnlocked: true } : { durationMs: until - now }),
    });
    if (until === Infinity) this.#helpdesk?.enqueue(i, now);
  }

  #release(i: number, account: Account, at: number, by: 'helpdesk' | 'admin'): void {
    this.lockout.unlock(account.lock);
    const lockedMs = this.#accounting.unlocked(i, at);
    if (lockedMs !== undefined) this.#events?.record('unlock', { address: this.population.addressAt(i), by, lockedMs });
  }

  /** Runs time-driven state (helpdesk, lockout expiry) up to the clock's now. */
  #advance(): number {
    const now = this.#clock.now();
    this.#helpdesk?.advance(now, (i, at) => {
      const account = this.#accounts.get(i);
      if (account) this.#release(i, account, at, 'helpdesk');
    });
    this.#accounting.expire(now);
    return now;
  }
}
