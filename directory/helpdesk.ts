// A helpdesk of N engineers, each unlocking M accounts per hour of clock time, serving a FIFO
// queue. Simulated lazily: whenever the directory looks at the clock it runs the helpdesk up
// to "now", so it works at any time compression without timers.
import { InputError } from '../engine/errors.ts';

export interface HelpdeskOptions {
  engineers: number;
  unlocksPerEngineerPerHour: number;
}

/** Defaults: a small service desk, 3 engineers each clearing 12 unlocks an hour (5 minutes a call). */
export const HELPDESK_DEFAULTS: HelpdeskOptions = { engineers: 3, unlocksPerEngineerPerHour: 12 };

interface Ticket {
  user: number;
  queuedAt: number;
}

export class Helpdesk {
  readonly #serviceMs: number;
  readonly #freeAt: number[];
  #queue: Ticket[] = [];
  #head = 0;
  #queued = new Set<number>();
  unlocked = 0;
  longestWaitMs = 0;
  /** ms each served user waited, from locking to unlock, in unlock order. */
  readonly waitsMs: number[] = [];

  constructor(options: HelpdeskOptions = HELPDESK_DEFAULTS, start = 0) {
    if (!Number.isInteger(options.engineers) || options.engineers < 0) throw new InputError(`helpdesk.engineers must be a whole number >= 0, got ${options.engineers}`);
    if (!(options.unlocksPerEngineerPerHour > 0)) throw new InputError(`helpdesk.unlocksPerEngineerPerHour must be > 0, got ${options.unlocksPerEngineerPerHour}`);
    this.#serviceMs = 3_600_000 / options.unlocksPerEngineerPerHour;
    this.#freeAt = Array.from({ length: options.engineers }, () => start);
  }

  get backlog(): number {
    return this.#queued.size;
  }

  /** A locked user calls the helpdesk. Calling twice does not queue twice. */
  enqueue(user: number, at: number): void {
    if (this.#queued.has(user)) return;
    this.#queued.add(user);
    this.#queue.push({ user, queuedAt: at });
  }

  /** Someone else unlocked the account (an administrator, expiry): the ticket is dropped when reached. */
  cancel(user: number): void {
    this.#queued.delete(user);
  }

  /** Serves tickets whose unlock completes by `now`; calls `unlock(user, at, waitedMs)` for each. */
  advance(now: number, unlock: (user: number, at: number, waitedMs: number) => void): void {
    while (this.#head < this.#queue.length && this.#freeAt.length > 0) {
      const ticket = this.#queue[this.#head] as Ticket;
      if (!this.#queued.has(ticket.user)) {
        this.#head++;
        continue;
      }
      let e = 0;
      for (let i = 1; i < this.#freeAt.length; i++) if ((this.#freeAt[i] ?? 0) < (this.#freeAt[e] ?? 0)) e = i;
      const done = Math.max(this.#freeAt[e] ?? 0, ticket.queuedAt) + this.#serviceMs;
      if (done > now) break;
      this.#freeAt[e] = done;
      this.#head++;
      this.#queued.delete(ticket.user);
      this.unlocked++;
      this.longestWaitMs = Math.max(this.longestWaitMs, done - ticket.queuedAt);
      this.waitsMs.push(done - ticket.queuedAt);
      unlock(ticket.user, done, done - ticket.queuedAt);
    }
    // Drop served tickets now and then so the array does not grow without bound.
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
  }
}
