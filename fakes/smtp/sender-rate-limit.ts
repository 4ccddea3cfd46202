// Per-sender message rate limit: a fixed one-minute window per sender, cheap enough for
// a million senders. Over the limit the MAIL FROM gets 450 4.7.1 (try again later).
import type { Clock } from '../../engine/clock.ts';
import { replyError } from '../../engine/errors.ts';

const PRUNE_AT = 100_000;

export class SenderRateLimit {
  readonly #windows = new Map<string, { start: number; count: number }>();
  #lastPrune = -Infinity;

  constructor(private readonly perMinute: number | undefined, private readonly clock: Clock) {}

  check(sender: string): void {
    if (!this.perMinute) return;
    const now = this.clock.now();
    const key = sender.toLowerCase();
    let window = this.#windows.get(key);
    if (!window || now - window.start >= 60_000) {
      if (!window && this.#windows.size >= PRUNE_AT && now - this.#lastPrune >= 10_000) this.#prune(now);
      window = { start: now, count: 0 };
      this.#windows.set(key, window);
    }
    if (window.count >= this.perMinute) {
      throw replyError(`4.7.1 <${sender}>: Sender rate limit exceeded (${this.perMinute} messages a minute), try again later`, 450);
    }
    window.count++;
  }

  /** Forgets senders whose window has passed, so a million one-off senders do not pile up. */
  #prune(now: number): void {
    this.#lastPrune = now;
    for (const [sender, window] of this.#windows) if (now - window.start >= 60_000) this.#windows.delete(sender);
  }
}
