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

export class PostfixLogLedger {
  readonly #ids = new Map<string, string>();

  constructor(
    private readonly ledger: Ledger,
    private readonly clock: Clock,
    /** Store name recorded with each arrival (the mailstore Postfix delivers to). */
    private readonly store: string,
  ) {}

  line(text: string): void {
    const header = HEADER.exec(text);
    if (header) {
      if (this.#ids.size >= MAX_TRACKED) this.#ids.delete(this.#ids.keys().next().value as string);
      this.#ids.set(header[1] as string, header[2] as string);
      return;
    }
    const delivery = DELIVERY.exec(text);
    if (delivery) {
      const id = this.#ids.get(delivery[1] as string);
      if (id === undefined) return; // mail without a ledger id (bounces, probes)
      const recipient = (delivery[2] as string).toLowerCase();
      if (delivery[3] === 'sent') this.ledger.arrived({ id, recipient, at: this.clock.now(), store: this.store });
      else this.ledger.bounced(id, recipient, delivery[4] as string, this.clock.now());
      return;
    }
    const removed = REMOVED.exec(text);
    if (removed) this.#ids.delete(removed[1] as string);
  }
}
