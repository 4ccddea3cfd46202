// Delivery accounting when Postfix delivers to Dovecot: Postfix's own log says which message
// (queue id) carried which X-Mailstorm-Id (a header_checks INFO line) and when each final
// recipient was delivered or bounced. The parser turns those lines into ledger arrivals, as
// the LMTP sink does when Postfix delivers to it. Plain class: fed lines, no sockets.
import type { Clock } from '../../engine/clock.ts';
import type { Ledger } from '../../engine/ledger/types.ts';

const HEADER = /\]: ([0-9A-Za-z]+): info: header X-Mailstorm-Id: (\S+)/i;
const DELIVERY = /postfix\/lmtp\[\d+\]: ([0-9A-Za-z]+): to=<([^>]+)>.*? status=(sent|bounced) \((.*)\)\s*$/;
const REMOVED = /postfix\/qmgr\[\d+\]: ([0-9A-Za-z]+): removed/;

/** Bounded so a run of millions cannot grow the map without limit (ids of removed mail go). */
const MAX_TRACKED = 200_000;

interface Outcome {
  /** "ledger-id recipient status" */
  key: string;
  id: string;
  recipient: string;
  sent: boolean;
  reason: string;
}

/** Reads one log's lines into outcomes; the queue-id map is its own, so two readings never mix. */
class LogReader {
  readonly #ids = new Map<string, string>();

  outcome(text: string): Outcome | undefined {
    const header = HEADER.exec(text);
    if (header) {
      if (this.#ids.size >= MAX_TRACKED) this.#ids.delete(this.#ids.keys().next().value as string);
      this.#ids.set(header[1] as string, header[2] as string);
      return undefined;
    }
    const delivery = DELIVERY.exec(text);
    if (delivery) {
      const id = this.#ids.get(delivery[1] as string);
      if (id === undefined) return undefined; // mail without a ledger id (bounces, probes)
      const recipient = (delivery[2] as string).toLowerCase();
      const sent = delivery[3] === 'sent';
      return { key: `${id} ${recipient} ${sent ? 'sent' : 'bounced'}`, id, recipient, sent, reason: delivery[4] as string };
    }
    const removed = REMOVED.exec(text);
    if (removed) this.#ids.delete(removed[1] as string);
    return undefined;
  }
}

export class PostfixLogLedger {
  readonly #live = new LogReader();
  /** How often each outcome was counted, so a second reading of the whole log adds only what was missed. */
  readonly #counted = new Map<string, number>();

  constructor(
    private readonly ledger: Ledger,
    private readonly clock: Clock,
    /** Store name recorded with each arrival (the mailstore Postfix delivers to). */
    private readonly store: string,
  ) {}

  /** A line of the live log stream. */
  line(text: string): void {
    const outcome = this.#live.outcome(text);
    if (outcome) this.#count(outcome);
  }

  /**
   * Postfix's whole log file, read again after the drain: outcomes the live stream did not
   * carry (a stream that fell behind or broke) are counted now. Returns how many were.
   */
  recover(lines: Iterable<string>): number {
    const reader = new LogReader();
    const inFile = new Map<string, { outcome: Outcome; times: number }>();
    for (const text of lines) {
      const outcome = reader.outcome(text);
      if (!outcome) continue;
      const seen = inFile.get(outcome.key);
      if (seen) seen.times++;
      else inFile.set(outcome.key, { outcome, times: 1 });
    }
    let recovered = 0;
    for (const { outcome, times } of inFile.values()) {
      for (let missing = times - (this.#counted.get(outcome.key) ?? 0); missing > 0; missing--) {
        this.#count(outcome);
        recovered++;
      }
    }
    return recovered;
  }

  #count(o: Outcome): void {
    this.#counted.set(o.key, (this.#counted.get(o.key) ?? 0) + 1);
    if (o.sent) this.ledger.arrived({ id: o.id, recipient: o.recipient, at: this.clock.now(), store: this.store });
    else this.ledger.bounced(o.id, o.recipient, o.reason, this.clock.now());
  }
}
