// The ledger accounts for every message a scenario sends: each expected delivery
// (after list expansion) must arrive exactly once, somewhere, in time.

/** The header that carries a message's ledger id through any stack. */
export const LEDGER_HEADER = 'X-Mailstorm-Id';

export interface ExpectedMessage {
  /** Unique id, also sent in the X-Mailstorm-Id header. */
  id: string;
  /** The flow that sent it (background, storm, mover ...); delivery latency is tagged by it. */
  flow: string;
  /** Every final recipient after list expansion. */
  recipients: readonly string[];
  /**
   * When the client finished sending it (the final "." written, before the reply; ms, run clock,
   * with microseconds): delivery latency counts from here. An in-process stack can deliver
   * before its 250 reaches the client, so a stamp after the reply would read 0.
   */
  acceptedAt: number;
}

export interface Arrival {
  id: string;
  recipient: string;
  /** ms, run clock */
  at: number;
  /** Which store or sink it landed in (main, source, target, sink ...). */
  store?: string;
  /** The message's Message-ID header, when the receiver saw one. */
  messageId?: string;
}

export interface LedgerFlowSummary {
  expected: number;
  delivered: number;
  lost: number;
  duplicated: number;
  queued: number;
  bounced: number;
  late: number;
  /**
   * Deliveries of messages whose send the client saw fail (the reply was lost to a fault, yet
   * the stack had taken the message): what a retry would duplicate. Not part of expected.
   */
  deliveredAfterFailure: number;
  /**
   * Deliveries to mailboxes mailstorm could not read (a remote reconcile whose login failed):
   * neither delivered nor lost. Present only when some mailbox was unverifiable; then
   * expected = delivered + bounced + queued + lost + unverified.
   */
  unverified?: number;
}

export interface LedgerSummary extends LedgerFlowSummary {
  /** Arrivals whose id the ledger never issued (mail from somewhere else, or a corrupted header). */
  unexpected: number;
  byFlow: Record<string, LedgerFlowSummary>;
  /** Bounce reasons with counts. */
  bounceReasons: Record<string, number>;
  /** A few examples, "id -> recipient", so a report can point at them. */
  samples: { lost: string[]; duplicated: string[]; bounced: string[]; deliveredAfterFailure?: string[] };
  /** Mailboxes that could not be read, with why (present with `unverified`). */
  unverifiedMailboxes?: Record<string, string>;
  /** true once the drain period is over: anything still missing then counts as lost. */
  final: boolean;
}

/** A message about to be sent: registered before the first byte goes out. */
export interface AttemptedMessage {
  id: string;
  flow: string;
}

export interface Ledger {
  /** Registers a send before it starts; expect() (accepted) or failed() (the client saw it fail) settles it. */
  attempt(message: AttemptedMessage): void;
  expect(message: ExpectedMessage): void;
  /** The client saw the send of an attempted message fail: its arrivals count as delivered after failure. */
  failed(id: string): void;
  arrived(arrival: Arrival): void;
  /** The stack gave up on a delivery and said so (a bounce/DSN): accounted, not lost. */
  bounced(id: string, recipient: string, reason: string, at: number): void;
  /**
   * The mailbox of `recipient` cannot be read (a remote reconcile could not log in): its
   * deliveries not arrived by the final reconcile count as unverified, not lost.
   */
  unverified(recipient: string, reason: string): void;
  /** Deliveries expected and not yet arrived or bounced. */
  outstanding(): number;
  /** The same, per (lower-cased) recipient: which mailboxes are still waited for. */
  outstandingByRecipient(): Map<string, number>;
  /**
   * Summarises. With `final` false, missing deliveries count as queued; with `final`
   * true (after the drain period) they count as lost.
   */
  reconcile(options: { final: boolean; now: number }): LedgerSummary;
}
