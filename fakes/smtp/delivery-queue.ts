// The MTA's queue: each entry is one message plus a (possibly shared) recipient array and a
// cursor, so a message to a 1.2 million member list is one entry, not 1.2 million objects.
// Workers drain it at a configurable total rate, so load above capacity builds a backlog.
import { systemClock, type Clock } from '../../engine/clock.ts';
import { replyError } from '../../engine/errors.ts';
import type { Ledger } from '../../engine/ledger/types.ts';
import type { MetricsSink } from '../../engine/metrics/types.ts';
import { DeliveryError, type DeliveryTarget, type QueuedMessage } from './types.ts';

export interface DeliveryQueueOptions {
  target: DeliveryTarget;
  /** Time stamps (bounces) in run time. */
  clock: Clock;
  /** Paces the delivery rate; wall time by default, since capacity is a property of the machine. */
  pacingClock?: Clock;
  metrics?: MetricsSink;
  ledger?: Ledger;
  /** Deliveries in flight at once (default 8). */
  workers?: number;
  /** Total deliveries per second; 0 or absent = as fast as the target takes them. */
  ratePerSec?: number;
  /** Queued deliveries at or above which new mail is refused with 451 4.3.2. */
  highWater?: number;
  /** Attempts before a transient failure becomes a bounce (default 3). */
  maxAttempts?: number;
  /** Tag for the queue depth gauge. */
  name?: string;
}

interface QueueEntry {
  message: QueuedMessage;
  recipients: readonly string[];
  cursor: number;
  attempt: number;
}

const BATCH = 2000; // deliveries per turn of the event loop, so SMTP sessions stay served

export class DeliveryQueue {
  readonly #entries: QueueEntry[] = [];
  #head = 0;
  #depth = 0;
  #inFlight = 0;
  #delivered = 0;
  #bounced = 0;
  #tokens = 0;
  #lastRefill: number;
  // Set when the pump left deliveries it could have made (out of batch or tokens): capacity
  // that expires before it runs again was lost to the event loop, not to the target.
  #owed = false;
  #timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  #stopped = false;
  #idleWaiters: (() => void)[] = [];

  constructor(private readonly options: DeliveryQueueOptions) {
    this.#lastRefill = (options.pacingClock ?? systemClock).now();
  }

  get depth(): number {
    return this.#depth;
  }

  get stats(): { depth: number; inFlight: number; delivered: number; bounced: number } {
    return { depth: this.#depth, inFlight: this.#inFlight, delivered: this.#delivered, bounced: this.#bounced };
  }

  /** Throws 451 4.3.2 when the backlog is at or above the high-water mark. */
  checkCapacity(): void {
    const highWater = this.options.highWater;
    if (highWater !== undefined && this.#depth >= highWater) {
      this.options.metrics?.count('mta.refused_backlog', 1);
      throw replyError(`4.3.2 Queue backlog ${this.#depth} over the high-water mark, try again later`, 451);
    }
  }

  enqueue(message: QueuedMessage, recipients: readonly string[]): void {
    if (recipients.length === 0) return;
    this.#entries.push({ message, recipients, cursor: 0, attempt: 1 });
    this.#depth += recipients.length;
    this.#gauge();
    this.#schedule(0);
  }

  /** Resolves once nothing is queued or in flight. */
  idle(): Promise<void> {
    if (this.#depth === 0 && this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  stop(): void {
    this.#stopped = true;
    this.#clearTimer();
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  #schedule(delayMs: number): void {
    if (this.#stopped || this.#timer) return;
    this.#timer = delayMs > 0 ? setTimeout(() => this.#pump(), delayMs) : setImmediate(() => this.#pump());
  }

  #clearTimer(): void {
    if (!this.#timer) return;
    clearTimeout(this.#timer as NodeJS.Timeout);
    clearImmediate(this.#timer as NodeJS.Immediate);
    this.#timer = undefined;
  }

  #pump(): void {
    this.#timer = undefined;
    if (this.#stopped) return;
    const workers = this.options.workers ?? 8;
    const rate = this.options.ratePerSec ?? 0;
    this.#refill(rate);
    const deliveredBefore = this.#delivered;
    let budget = BATCH;
    while (this.#depth > 0 && this.#inFlight < workers && budget-- > 0) {
      if (rate > 0 && this.#tokens < 1) break;
      if (rate > 0) this.#tokens--;
      this.#deliverNext();
    }
    this.#owed = this.#depth > 0 && this.#inFlight < workers;
    if (this.#delivered > deliveredBefore) this.options.metrics?.count('mta.delivered', this.#delivered - deliveredBefore);
    this.#gauge();
    if (this.#owed) this.#schedule(rate > 0 && this.#tokens < 1 ? Math.ceil(((1 - this.#tokens) / rate) * 1000) : 0);
    this.#maybeIdle();
  }

  /** Adds the tokens earned since the last refill, up to a tenth of a second's worth. */
  #refill(rate: number): void {
    if (rate <= 0) return;
    const now = (this.options.pacingClock ?? systemClock).now();
    const earned = this.#tokens + ((now - this.#lastRefill) / 1000) * rate;
    const cap = Math.max(1, rate / 10);
    // Lost only while owed: an idle queue, or one waiting on its target, had nothing to lose.
    if (earned > cap && this.#owed) this.options.metrics?.count('mta.pace_shortfall', earned - cap);
    this.#tokens = Math.min(cap, earned);
    this.#lastRefill = now;
  }

  #deliverNext(): void {
    const entry = this.#entries[this.#head] as QueueEntry;
    const recipient = entry.recipients[entry.cursor++] as string;
    if (entry.cursor >= entry.recipients.length) {
      this.#entries[this.#head] = undefined as unknown as QueueEntry;
      this.#head++;
      if (this.#head > 1024 && this.#head * 2 > this.#entries.length) {
        this.#entries.splice(0, this.#head);
        this.#head = 0;
      }
    }
    this.#depth--;
    this.#inFlight++;
    let result: void | Promise<void>;
    try {
      result = this.options.target.deliver(recipient, entry.message);
    } catch (error) {
      return this.#settle(entry, recipient, error);
    }
    if (result instanceof Promise) result.then(() => this.#settleLater(entry, recipient), (error: unknown) => this.#settleLater(entry, recipient, error));
    else this.#settle(entry, recipient);
  }

  /** An asynchronous delivery ended: the time every worker was busy was the target's, not lost. */
  #settleLater(entry: QueueEntry, recipient: string, error?: unknown): void {
    if (!this.#owed) this.#refill(this.options.ratePerSec ?? 0);
    this.#settle(entry, recipient, error);
    if (error === undefined) this.options.metrics?.count('mta.delivered', 1);
    this.#owed ||= this.#depth > 0;
  }

  #settle(entry: QueueEntry, recipient: string, error?: unknown): void {
    this.#inFlight--;
    if (error === undefined) this.#delivered++;
    else this.#failed(entry, recipient, error);
    if (this.#depth > 0) this.#schedule(0);
    else this.#maybeIdle();
  }

  #failed(entry: QueueEntry, recipient: string, error: unknown): void {
    const permanent = error instanceof DeliveryError ? error.permanent : false;
    const reason = error instanceof Error ? error.message : String(error);
    if (!permanent && entry.attempt < (this.options.maxAttempts ?? 3)) {
      this.#entries.push({ message: entry.message, recipients: [recipient], cursor: 0, attempt: entry.attempt + 1 });
      this.#depth++;
      return;
    }
    this.#bounced++;
    this.options.metrics?.count('mta.bounced', 1);
    if (entry.message.ledgerId) this.options.ledger?.bounced(entry.message.ledgerId, recipient, reason, this.options.clock.now());
  }

  #gauge(): void {
    this.options.metrics?.gauge('mta.queue_depth', this.#depth, { mta: this.options.name ?? 'mta' });
  }

  #maybeIdle(): void {
    if (this.#depth === 0 && this.#inFlight === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }
}
