// An in-memory Ledger sized for millions of expected deliveries: recipients are interned to
// integer ids, per-delivery state lives in typed arrays (about 5 bytes a delivery), and each
// message maps to a range of those arrays whose recipient ids are sorted for binary search.
import type { Clock } from '../clock.ts';
import type { MetricsSink } from '../metrics/types.ts';
import type { Arrival, AttemptedMessage, ExpectedMessage, Ledger, LedgerFlowSummary, LedgerSummary } from './types.ts';
import { GrowableFloat64, GrowableInt32, GrowableUint8 } from './growable.ts';
import { BOUNCED, COUNT_MASK, LATE, tallyFlows } from './reconcile.ts';
import { EarlyEventStore } from './early-events.ts';
import { FailedSends } from './failed-sends.ts';
import { declareAll } from '../metrics/declare.ts';
import { LEDGER_METRICS } from './metric-declarations.ts';

export interface MemoryLedgerOptions {
  metrics: MetricsSink;
  clock: Clock;
  /** A delivery arriving later than this after acceptance counts as late (default 5 min). */
  lateAfterMs?: number;
  /** Arrivals/bounces held for ids not yet expected (the stack can be faster than the client). */
  maxPending?: number;
  /** Arrivals/bounces held in total for such ids (default 20 million). */
  maxPendingEvents?: number;
}

const SAMPLE_LIMIT = 5;
const LIST_CACHE_MIN = 256;


export class MemoryLedger implements Ledger {
  readonly #metrics: MetricsSink;
  readonly #lateAfterMs: number;
  readonly #recipientIds = new Map<string, number>();
  readonly #recipientNames: string[] = [];
  readonly #flowIds = new Map<string, number>();
  readonly #flowNames: string[] = [];
  readonly #messageIndex = new Map<string, number>();
  readonly #messageIds: string[] = [];
  // per message
  readonly #start = new GrowableInt32();
  readonly #count = new GrowableInt32();
  readonly #flow = new GrowableInt32();
  readonly #acceptedAt = new GrowableFloat64();
  // per delivery
  readonly #rcpt = new GrowableInt32();
  readonly #state = new GrowableUint8();
  readonly #early: EarlyEventStore;
  readonly #failedSends = new FailedSends();
  // A list's member array is shared by every message to it (the directory hands out one array),
  // so its sorted recipient ids are worked out once, not per reply-all.
  readonly #listIds = new WeakMap<readonly string[], Int32Array>();
  readonly #bounceReasons = new Map<string, number>();
  readonly #samples = { duplicated: [] as string[], bounced: [] as string[] };
  // recipient id -> why its mailbox could not be read (remote reconcile)
  readonly #unverified = new Map<number, string>();
  #unexpected = 0;
  #outstanding = 0;

  constructor(options: MemoryLedgerOptions) {
    this.#metrics = options.metrics;
    declareAll(options.metrics, LEDGER_METRICS);
    this.#lateAfterMs = options.lateAfterMs ?? 5 * 60_000;
    this.#early = new EarlyEventStore(options.maxPending ?? 100_000, options.maxPendingEvents ?? 20_000_000);
  }

  attempt(message: AttemptedMessage): void {
    this.#failedSends.attempt(message.id, message.flow);
  }

  failed(id: string): void {
    if (!this.#failedSends.fail(id)) return;
    // What arrived before the client saw the failure was held; it was delivered after all.
    const pending = this.#early.take(id);
    for (const recipient of pending?.recipients ?? []) this.#failedSends.arrived(id, recipient);
  }

  expect(message: ExpectedMessage): void {
    if (this.#messageIndex.has(message.id)) throw new RangeError(`ledger id ${message.id} was already expected`);
    this.#failedSends.settle(message.id);
    const n = message.recipients.length;
    const start = this.#rcpt.reserve(n);
    const ids = this.#rcpt.data;
    const cached = this.#listIds.get(message.recipients);
    if (cached) ids.set(cached, start);
    else {
      for (let i = 0; i < n; i++) ids[start + i] = this.#intern(message.recipients[i] as string);
      ids.subarray(start, start + n).sort();
      if (n >= LIST_CACHE_MIN) this.#listIds.set(message.recipients, ids.slice(start, start + n));
    }
    this.#state.ensure(start + n);
    const index = this.#start.push(start);
    this.#count.push(n);
    this.#flow.push(this.#flowId(message.flow));
    this.#acceptedAt.push(message.acceptedAt);
    this.#messageIndex.set(message.id, index);
    this.#messageIds.push(message.id);
    this.#outstanding += n;
    const pending = this.#early.take(message.id);
    if (pending) {
      for (let i = 0; i < pending.recipients.length; i++) this.arrived({ id: message.id, recipient: pending.recipients[i] as string, at: pending.at[i] as number });
      for (const b of pending.bounces) this.bounced(message.id, b.recipient, b.reason, b.at);
    }
  }

  arrived(arrival: Arrival): void {
    const message = this.#messageIndex.get(arrival.id);
    if (message === undefined) {
      if (this.#failedSends.arrived(arrival.id, arrival.recipient)) return;
      return this.#hold(arrival.id, arrival.recipient, arrival.at);
    }
    const slot = this.#find(message, arrival.recipient, (s) => (s & COUNT_MASK) === 0);
    if (slot < 0) {
      this.#unexpected++;
        return;
    }
    const state = this.#state.data;
    const s = state[slot] as number;
    const arrivals = s & COUNT_MASK;
    const flow = this.#flowNames[this.#flow.data[message] as number] as string;
    if (arrivals === 0) {
      const latency = Math.max(0, arrival.at - (this.#acceptedAt.data[message] as number));
      let next = s | 1;
      if (latency > this.#lateAfterMs) next |= LATE;
      if ((s & BOUNCED) === 0) this.#outstanding--;
      state[slot] = next;
      this.#metrics.trend('delivery_latency', latency, { flow });
      return;
    }
    state[slot] = (s & ~COUNT_MASK) | Math.min(3, arrivals + 1);
    if (arrivals === 1 && this.#samples.duplicated.length < SAMPLE_LIMIT) {
      this.#samples.duplicated.push(`${arrival.id} -> ${arrival.recipient}`);
    }
  }

  bounced(id: string, recipient: string, reason: string, at: number): void {
    const message = this.#messageIndex.get(id);
    if (message === undefined) {
      if (this.#failedSends.isFailed(id)) return; // the sender already knows it failed
      return this.#hold(id, recipient, at, reason);
    }
    const slot = this.#find(message, recipient, (s) => s === 0);
    if (slot < 0 || this.#state.data[slot] !== 0) return; // unknown, already arrived or bounced: the arrival wins
    this.#state.data[slot] = BOUNCED;
    this.#outstanding--;
    this.#bounceReasons.set(reason, (this.#bounceReasons.get(reason) ?? 0) + 1);
    if (this.#samples.bounced.length < SAMPLE_LIMIT) this.#samples.bounced.push(`${id} -> ${recipient}`);
  }

  outstanding(): number {
    return this.#outstanding;
  }

  unverified(recipient: string, reason: string): void {
    const id = this.#intern(recipient);
    if (!this.#unverified.has(id)) this.#unverified.set(id, reason);
  }

  outstandingByRecipient(): Map<string, number> {
    const out = new Map<string, number>();
    if (this.#outstanding === 0) return out;
    const state = this.#state.data;
    const rcpt = this.#rcpt.data;
    const end = this.#messageIds.length === 0 ? 0 : (this.#start.data[this.#messageIds.length - 1] as number) + (this.#count.data[this.#messageIds.length - 1] as number);
    for (let slot = 0; slot < end; slot++) {
      if (state[slot] !== 0) continue;
      const name = this.#recipientNames[rcpt[slot] as number] as string;
      out.set(name, (out.get(name) ?? 0) + 1);
    }
    return out;
  }

  reconcile(options: { final: boolean; now: number }): LedgerSummary {
    const tally = tallyFlows({
      messages: this.#messageIds.length,
      start: this.#start.data,
      count: this.#count.data,
      flow: this.#flow.data,
      state: this.#state.data,
      flowNames: this.#flowNames,
      final: options.final,
      rcpt: this.#rcpt.data,
      unverified: new Set(this.#unverified.keys()),
      lostSample: (message, slot) => `${this.#messageIds[message]} -> ${this.#recipientNames[this.#rcpt.data[slot] as number]}`,
    });
    const pendingCount = options.final ? this.#early.arrivals() : 0;
    for (const [flow, n] of this.#failedSends.byFlow()) {
      const summary = (tally.byFlow[flow] ??= { expected: 0, delivered: 0, lost: 0, duplicated: 0, queued: 0, bounced: 0, late: 0, deliveredAfterFailure: 0 });
      summary.deliveredAfterFailure = n;
    }
    const totals: LedgerFlowSummary = { expected: 0, delivered: 0, lost: 0, duplicated: 0, queued: 0, bounced: 0, late: 0, deliveredAfterFailure: 0 };
    for (const flow of Object.values(tally.byFlow)) {
      for (const key of Object.keys(totals) as (keyof LedgerFlowSummary)[]) totals[key] = (totals[key] ?? 0) + (flow[key] ?? 0);
    }
    if (this.#unverified.size > 0) {
      totals.unverified = Object.values(tally.byFlow).reduce((n, f) => n + (f.unverified ?? 0), 0);
    }
    return {
      ...totals,
      ...(this.#unverified.size > 0 && { unverifiedMailboxes: Object.fromEntries([...this.#unverified].map(([id, why]) => [this.#recipientNames[id] as string, why])) }),
      unexpected: this.#unexpected + pendingCount,
      byFlow: tally.byFlow,
      bounceReasons: Object.fromEntries(this.#bounceReasons),
      samples: { lost: tally.lostSamples, duplicated: [...this.#samples.duplicated], bounced: [...this.#samples.bounced], deliveredAfterFailure: this.#failedSends.samples() },
      final: options.final,
    };
  }

  #hold(id: string, recipient: string, at: number, bounceReason?: string): void {
    if (this.#early.hold(id, recipient, at, bounceReason) || bounceReason !== undefined) return;
    this.#unexpected++;
  }

  /** First slot of `message` for `recipient` whose state passes `want`, else the first slot for it, else -1. */
  #find(message: number, recipient: string, want: (state: number) => boolean): number {
    const id = this.#recipientIds.get(recipient.toLowerCase());
    if (id === undefined) return -1;
    const ids = this.#rcpt.data;
    let lo = this.#start.data[message] as number;
    const end = lo + (this.#count.data[message] as number);
    let hi = end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((ids[mid] as number) < id) lo = mid + 1;
      else hi = mid;
    }
    if (lo >= end || ids[lo] !== id) return -1;
    const state = this.#state.data;
    for (let i = lo; i < end && ids[i] === id; i++) if (want(state[i] as number)) return i;
    return lo;
  }

  #intern(recipient: string): number {
    const key = recipient.toLowerCase();
    let id = this.#recipientIds.get(key);
    if (id === undefined) {
      id = this.#recipientNames.length;
      this.#recipientNames.push(key);
      this.#recipientIds.set(key, id);
    }
    return id;
  }

  #flowId(flow: string): number {
    let id = this.#flowIds.get(flow);
    if (id === undefined) {
      id = this.#flowNames.length;
      this.#flowNames.push(flow);
      this.#flowIds.set(flow, id);
    }
    return id;
  }
}
