// The directory's public interface: what the MTA, the IMAP server, the ActiveSync endpoint,
// an auth-policy server and the scenarios call. Accounts, passwords, devices, distribution
// lists, lockout and the helpdesk live behind it; no protocol code.

/** Who presented the password: the user typing it, a configured mobile device, or nobody known. */
export type AuthSource =
  | { kind: 'user' }
  | { kind: 'device'; deviceId: string }
  | { kind: 'unknown' };

/** Smart lockout keeps separate counters for familiar and unfamiliar locations. */
export type AuthLocation = 'familiar' | 'unfamiliar';

export type AuthFailureReason = 'bad-password' | 'locked' | 'unknown-user' | 'must-change-password';

export type AuthResult =
  | { ok: true }
  | {
      ok: false;
      reason: AuthFailureReason;
      /** With reason 'locked': ms of clock time until the lockout ends; undefined = until an engineer unlocks. */
      retryAfterMs?: number;
    };

/** Why a bad attempt happened: typed by the user, a device holding a stale password, or an unknown source. */
export type FailureCause = 'user' | 'stale-device' | 'unknown';

export interface DeviceInfo {
  /** Device id as an ActiveSync client sends it (DeviceId=...). */
  id: string;
  /** The password the device currently holds. */
  password: string;
  /** true when the device holds an older password than the account's current one. */
  stale: boolean;
}

export interface UserInfo {
  address: string;
  /** Dense index 0..userCount-1, stable for a given population. */
  index: number;
  organisation: string;
  /** The account's current password (scenarios play the user, so they know it). */
  password: string;
  /** true after the stricter policy was switched on and the password fails it, until changed. */
  forcedReset: boolean;
  locked: boolean;
  devices: readonly DeviceInfo[];
}

export type PasswordChangeResult =
  | { ok: true }
  | { ok: false; reason: 'unknown-user' | 'policy'; message: string };

export interface OrganisationStats {
  name: string;
  users: number;
  lockedNow: number;
}

/** What a report or a gate needs to explain a lockout wave. */
export interface DirectoryStats {
  users: number;
  /** Failed attempts (bad password) by cause. */
  failures: Record<FailureCause, number>;
  /** Lockout events by the cause of the attempt that triggered them. */
  lockouts: Record<FailureCause, number>;
  /** Accounts locked at least once. */
  accountsLocked: number;
  /** Of those, accounts whose user never typed a wrong password (locked by a device or unknown source). */
  lockedNeverTypedWrong: number;
  lockedNow: number;
  /** Highest lockedNow seen so far (sampled on every change). */
  peakLockedNow: number;
  /** Longest single lockout in ms of clock time, including lockouts still running. */
  longestLockedMs: number;
  forcedResetPending: number;
  helpdesk: { backlog: number; unlocked: number; longestWaitMs: number };
  organisations: OrganisationStats[];
}

export interface DirectoryService {
  /** Mail domain of every user and list, e.g. "nhs.test". */
  readonly domain: string;
  readonly userCount: number;

  /** Checks a password against the account and the lockout policy; counts failures, may lock. */
  authenticate(address: string, password: string, source: AuthSource, location?: AuthLocation): AuthResult;

  /** true for a user or a distribution list (an MTA answers 550 5.1.1 otherwise). */
  exists(address: string): boolean;
  /** The user behind an address (case-insensitive), or undefined. */
  user(address: string): UserInfo | undefined;
  /** Address of the user with this dense index (0..userCount-1). */
  addressAt(index: number): string;

  /** Members of a distribution list, or undefined when the address is not a list. Shared array: do not mutate. */
  expand(address: string): readonly string[] | undefined;
  /** Addresses of every distribution list. */
  lists(): readonly string[];
  isListMember(list: string, address: string): boolean;

  /** Switches on the stricter password policy (T0): users whose password fails it must change it. */
  enforceStrictPolicy(): number;
  /** Sets a new password if it passes the active policy; devices keep their old copy until updated. */
  changePassword(address: string, newPassword: string): PasswordChangeResult;
  /** The user types the current password into one device. Returns false for an unknown user/device. */
  updateDevicePassword(address: string, deviceId: string): boolean;
  /** An administrator (not the helpdesk queue) unlocks at once. */
  unlock(address: string): boolean;

  stats(): DirectoryStats;
  /** ms each user served by the helpdesk waited (locked until unlocked), in unlock order. Shared array: do not mutate. */
  helpdeskWaits(): readonly number[];
}
