// Time is injected everywhere (lockout windows, arrival schedules, retries) so tests
// are deterministic and simulated time can be compressed.
import { performance } from 'node:perf_hooks';

export interface Clock {
  /** Milliseconds since the epoch, in this clock's (possibly simulated) time. */
  now(): number;
  /** Resolves after `ms` of this clock's time; rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

// Epoch milliseconds with microseconds (performance.timeOrigin + performance.now()): a
// delivery in the embedded stack takes well under a millisecond, and Date.now() would
// round every such latency to 0 or 1. Monotonic, so a clock step cannot make one negative.
const preciseNow = () => performance.timeOrigin + performance.now();

export const systemClock: Clock = {
  now: preciseNow,
  sleep: (ms, signal) => realSleep(ms, signal),
};

/**
 * A clock whose time runs `factor` times faster than the wall clock, starting at `origin`
 * (defaults to now). A scenario that replays a weekend in minutes gives its stack one of these.
 */
export function compressedClock(factor: number, origin: number = preciseNow()): Clock {
  if (!(factor > 0)) throw new RangeError(`time compression factor must be > 0, got ${factor}`);
  const realStart = preciseNow();
  return {
    now: () => origin + (preciseNow() - realStart) * factor,
    sleep: (ms, signal) => realSleep(ms / factor, signal),
  };
}

/** A clock that only moves when told to; for tests of time-based policy. */
export class ManualClock implements Clock {
  #now: number;
  #sleepers: { until: number; resolve: () => void }[] = [];

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        this.#sleepers = this.#sleepers.filter((s) => s !== sleeper);
        reject(signal?.reason);
      };
      // The listener goes when the sleep ends, so one long-lived signal does not collect them.
      const sleeper = {
        until: this.#now + ms,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.#sleepers.push(sleeper);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  advance(ms: number): void {
    this.#now += ms;
    const due = this.#sleepers.filter((s) => s.until <= this.#now);
    this.#sleepers = this.#sleepers.filter((s) => s.until > this.#now);
    for (const s of due) s.resolve();
  }
}

export function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
