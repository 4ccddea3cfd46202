// Reply-all storm protection modelled on Exchange Online's: once a thread sent to at least
// `minRecipients` gets `minReplyAlls` reply-alls within a sliding window, further reply-alls
// to it are refused for `blockMs`. Off unless configured, so a replay can show the harm.
// The options and their defaults are the stack contract's (engine/mta-spec.ts).
import type { Clock } from '../../engine/clock.ts';
import { replyError } from '../../engine/errors.ts';
import type { EventLog } from '../../engine/events.ts';
import type { MetricsSink } from '../../engine/metrics/types.ts';
import { stormProtectionOf, type StormProtectionSpec } from '../../engine/mta-spec.ts';

export class StormProtection {
  readonly #options: Required<StormProtectionSpec>;
  readonly #replies = new Map<string, number[]>();
  readonly #blockedUntil = new Map<string, number>();

  constructor(
    options: StormProtectionSpec,
    private readonly clock: Clock,
    private readonly events?: EventLog,
    private readonly metrics?: MetricsSink,
  ) {
    this.#options = stormProtectionOf(options);
  }

  /** Called for a reply with its thread and recipient count; throws 550 5.7.1 while the thread is blocked. */
  check(thread: string, recipients: number, reply: boolean): void {
    if (!reply || recipients < this.#options.minRecipients) return;
    const now = this.clock.now();
    const until = this.#blockedUntil.get(thread);
    if (until !== undefined && now < until) {
      this.metrics?.count('mta.storm_blocked', 1);
      throw replyError(
        `5.7.1 Reply-all storm protection: replies to this thread (${recipients} recipients) are blocked until ${new Date(until).toISOString()}`,
        550,
      );
    }
    const times = (this.#replies.get(thread) ?? []).filter((t) => now - t < this.#options.windowMs);
    times.push(now);
    this.#replies.set(thread, times);
    if (times.length >= this.#options.minReplyAlls) {
      this.#blockedUntil.set(thread, now + this.#options.blockMs);
      this.#replies.delete(thread);
      this.metrics?.count('mta.storm_protection_engaged', 1);
      this.events?.record('storm_protection_engaged', { thread, recipients, replyAlls: times.length, blockMs: this.#options.blockMs });
    }
  }
}
