// A generated population stored as parallel typed arrays: organisation ranges, flags, device
// counts and password versions. Addresses and passwords are derived from the index on demand,
// so 1.2 million users fit in a few tens of megabytes.
import type { Random } from '../engine/random.ts';
import { InputError } from '../engine/errors.ts';
import { FIRST_NAMES, LAST_NAMES, mix, organisationName } from './names.ts';
import { generatedPassword } from './password-policy.ts';

export interface PopulationSpec {
  organisations: readonly { name: string; users: number }[];
  weakPasswordShare?: number;
  maxDevices?: number;
}

/** 20 organisations of 500 users: small enough for a test, shaped like a region. */
export function defaultPopulation(): PopulationSpec {
  return { organisations: Array.from({ length: 20 }, (_, i) => ({ name: organisationName(i), users: 500 })) };
}

const WEAK = 1;
const MAX_USERS = 20_000_000;

export class Population {
  readonly domain: string;
  readonly size: number;
  readonly maxDevices: number;
  readonly organisations: readonly { name: string; users: number; first: number }[];
  readonly #seed: number;
  readonly #flags: Uint8Array;
  readonly #deviceCount: Uint8Array;
  /** Current password version per user; version 0 is the generated one. */
  readonly #version: Uint16Array;
  /** Password version each device holds, maxDevices slots per user. */
  readonly #deviceVersion: Uint16Array;
  /** Passwords set by changePassword (sparse). */
  readonly #custom = new Map<number, string>();
  /** The two passwords before the current one, for users who changed theirs (sparse). */
  readonly #previous = new Map<number, string[]>();
  /** Start index of each organisation, for binary search. */
  readonly #starts: Int32Array;

  constructor(spec: PopulationSpec, random: Random, domain: string) {
    const share = spec.weakPasswordShare ?? 0.1;
    const maxDevices = spec.maxDevices ?? 3;
    if (!(share >= 0 && share <= 1)) throw new InputError(`population.weakPasswordShare must be between 0 and 1, got ${share}`);
    if (!Number.isInteger(maxDevices) || maxDevices < 0 || maxDevices > 10) throw new InputError(`population.maxDevices must be an integer 0..10, got ${maxDevices}`);
    let first = 0;
    this.organisations = spec.organisations.map((o, i) => {
      if (!Number.isInteger(o.users) || o.users < 0) throw new InputError(`population.organisations[${i}].users must be a whole number >= 0, got ${o.users}`);
      const org = { name: o.name, users: o.users, first };
      first += o.users;
      return org;
    });
    if (first > MAX_USERS) throw new InputError(`population has ${first} users; at most ${MAX_USERS} are allowed`);
    this.domain = domain;
    this.size = first;
    this.maxDevices = maxDevices;
    this.#seed = Math.floor(random.next() * 2 ** 32);
    this.#starts = Int32Array.from(this.organisations, (o) => o.first);
    this.#flags = new Uint8Array(first);
    this.#deviceCount = new Uint8Array(first);
    this.#version = new Uint16Array(first);
    this.#deviceVersion = new Uint16Array(first * maxDevices);
    for (let i = 0; i < first; i++) {
      if (random.next() < share) this.#flags[i] = WEAK;
      this.#deviceCount[i] = Math.floor(random.next() * (maxDevices + 1));
    }
  }

  addressAt(i: number): string {
    const h = mix(this.#seed, i);
    const firstName = FIRST_NAMES[h % FIRST_NAMES.length];
    const lastName = LAST_NAMES[(h >>> 12) % LAST_NAMES.length];
    return `${firstName}.${lastName}.${i + 1}@${this.domain}`;
  }

  /** Index of an address, or -1. The trailing number is the index, so no map is needed. */
  indexOf(address: string): number {
    const lower = address.trim().toLowerCase();
    const at = lower.lastIndexOf('@');
    if (at < 0 || lower.slice(at + 1) !== this.domain) return -1;
    const dot = lower.lastIndexOf('.', at);
    const n = Number(lower.slice(dot + 1, at));
    if (!Number.isInteger(n) || n < 1 || n > this.size) return -1;
    return this.addressAt(n - 1) === lower ? n - 1 : -1;
  }

  organisationOf(i: number): number {
    let lo = 0;
    let hi = this.#starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.#starts[mid] ?? 0) <= i) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  isWeak(i: number): boolean {
    return this.#version[i] === 0 && ((this.#flags[i] ?? 0) & WEAK) !== 0;
  }

  /** 0 until the user first changes the generated password. */
  version(i: number): number {
    return this.#version[i] ?? 0;
  }

  password(i: number): string {
    return this.#passwordAt(i, this.#version[i] ?? 0);
  }

  #passwordAt(i: number, version: number): string {
    const current = this.#version[i] ?? 0;
    if (version === current && version > 0) return this.#custom.get(i) ?? generatedPassword(this.#seed, i, version, false);
    // An older custom password is not kept: a device holding it only needs a password that no longer matches.
    return generatedPassword(this.#seed, i, version, version === 0 && ((this.#flags[i] ?? 0) & WEAK) !== 0);
  }

  setPassword(i: number, password: string): void {
    const next = (this.#version[i] ?? 0) + 1;
    if (next > 0xffff) throw new RangeError('too many password changes for one account');
    this.#previous.set(i, [this.password(i), ...(this.#previous.get(i) ?? [])].slice(0, 2));
    this.#version[i] = next;
    this.#custom.set(i, password);
  }

  /** true when `password` was one of the user's two previous passwords. */
  wasRecentPassword(i: number, password: string): boolean {
    return this.#previous.get(i)?.includes(password) ?? false;
  }

  deviceCount(i: number): number {
    return this.#deviceCount[i] ?? 0;
  }

  deviceId(i: number, slot: number): string {
    return `MSD${(i + 1).toString(36).toUpperCase()}X${slot}`;
  }

  /** Slot of a device id for user i, or -1. */
  deviceSlot(i: number, deviceId: string): number {
    for (let s = 0; s < this.deviceCount(i); s++) if (this.deviceId(i, s) === deviceId) return s;
    return -1;
  }

  devicePassword(i: number, slot: number): string {
    return this.#passwordAt(i, this.#deviceVersion[i * this.maxDevices + slot] ?? 0);
  }

  deviceStale(i: number, slot: number): boolean {
    return this.#deviceVersion[i * this.maxDevices + slot] !== this.#version[i];
  }

  updateDevice(i: number, slot: number): void {
    this.#deviceVersion[i * this.maxDevices + slot] = this.#version[i] ?? 0;
  }
}
