// A directory of test accounts someone else's platform holds (a remote stack's population
// file): it hands scenarios their users, passwords, devices and lists. The platform does the
// authenticating and owns its password and lockout policies, so what only mailstorm's own
// directory can do (policy changes, unlocks, the helpdesk) is a StackError naming the part.
import { StackError } from '../engine/errors.ts';
import type { AuthResult, DeviceInfo, DirectoryService, DirectoryStats, PasswordChangeResult, UserInfo } from './types.ts';
import type { ReferencedToken } from '../engine/clients/auth/token-reference.ts';

export interface TestAccount {
  address: string;
  organisation: string;
  /** '' for an account that logs in with its OAuth2 token only. */
  password: string;
  devices: readonly { id: string; password: string }[];
  /** The account's own OAuth2 token (file:PATH or command:...), read when the run starts. */
  token?: ReferencedToken;
}

function remoteCannot(what: string): never {
  throw new StackError(`${what} needs mailstorm's own directory (its password and lockout policies and helpdesk); a remote platform's test accounts are managed by the platform, so this part cannot run remotely`);
}

export class AccountsDirectory implements DirectoryService {
  readonly domain: string;
  readonly userCount: number;
  readonly #accounts: readonly TestAccount[];
  readonly #byAddress = new Map<string, number>();
  readonly #lists: ReadonlyMap<string, readonly string[]>;

  constructor(accounts: readonly TestAccount[], lists: Readonly<Record<string, readonly string[]>> = {}) {
    if (accounts.length === 0) throw new StackError('the population has no accounts');
    this.#accounts = accounts;
    accounts.forEach((a, i) => this.#byAddress.set(a.address.toLowerCase(), i));
    this.#lists = new Map(Object.entries(lists).map(([name, members]) => [name.toLowerCase(), members]));
    this.domain = accounts[0]!.address.split('@')[1] ?? '';
    this.userCount = accounts.length;
  }

  /** A local check only (the platform decides for real): no counters, no lockout. */
  authenticate(address: string, password: string): AuthResult {
    const i = this.#byAddress.get(address.toLowerCase());
    if (i === undefined) return { ok: false, reason: 'unknown-user' };
    return this.#accounts[i]!.password === password ? { ok: true } : { ok: false, reason: 'bad-password' };
  }

  exists(address: string): boolean {
    const key = address.toLowerCase();
    return this.#byAddress.has(key) || this.#lists.has(key);
  }

  user(address: string): UserInfo | undefined {
    const index = this.#byAddress.get(address.toLowerCase());
    if (index === undefined) return undefined;
    const a = this.#accounts[index]!;
    const devices: DeviceInfo[] = a.devices.map((d) => ({ id: d.id, password: d.password, stale: d.password !== a.password }));
    return { address: a.address, index, organisation: a.organisation, password: a.password, forcedReset: false, locked: false, devices };
  }

  addressAt(index: number): string {
    const a = this.#accounts[index];
    if (!a) throw new RangeError(`no account ${index}; the population has ${this.userCount}`);
    return a.address;
  }

  expand(address: string): readonly string[] | undefined {
    return this.#lists.get(address.toLowerCase());
  }

  lists(): readonly string[] {
    return [...this.#lists.keys()];
  }

  isListMember(list: string, address: string): boolean {
    const wanted = address.toLowerCase();
    return this.#lists.get(list.toLowerCase())?.some((m) => m.toLowerCase() === wanted) ?? false;
  }

  enforceStrictPolicy(): number { return remoteCannot('switching on a stricter password policy'); }
  changePassword(): PasswordChangeResult { return remoteCannot('changing a password'); }
  updateDevicePassword(): boolean { return remoteCannot('updating a device\'s password'); }
  unlock(): boolean { return remoteCannot('unlocking an account'); }

  stats(): DirectoryStats {
    const byOrg = new Map<string, number>();
    for (const a of this.#accounts) byOrg.set(a.organisation, (byOrg.get(a.organisation) ?? 0) + 1);
    return {
      users: this.userCount,
      failures: { user: 0, 'stale-device': 0, unknown: 0 },
      lockouts: { user: 0, 'stale-device': 0, unknown: 0 },
      accountsLocked: 0, lockedNeverTypedWrong: 0, lockedNow: 0, peakLockedNow: 0, longestLockedMs: 0, forcedResetPending: 0,
      helpdesk: { backlog: 0, unlocked: 0, longestWaitMs: 0 },
      organisations: [...byOrg].map(([name, users]) => ({ name, users, lockedNow: 0 })),
    };
  }

  helpdeskWaits(): readonly number[] {
    return [];
  }
}
