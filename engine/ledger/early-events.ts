// Arrivals and bounces for ids not yet expected: a fast stack delivers before the client has
// seen its 250. Kept as parallel arrays, since a big list can deliver most of its members here.

export interface EarlyEvents {
  recipients: string[];
  at: number[];
  bounces: { recipient: string; reason: string; at: number }[];
}

export class EarlyEventStore {
  readonly #byId = new Map<string, EarlyEvents>();
  #events = 0;

  constructor(private readonly maxIds: number, private readonly maxEvents: number) {}

  /** Holds an arrival (no reason) or a bounce; false when the store is full. */
  hold(id: string, recipient: string, at: number, bounceReason?: string): boolean {
    let events = this.#byId.get(id);
    if (!events && this.#byId.size < this.maxIds) {
      events = { recipients: [], at: [], bounces: [] };
      this.#byId.set(id, events);
    }
    if (!events || this.#events >= this.maxEvents) return false;
    this.#events++;
    if (bounceReason === undefined) {
      events.recipients.push(recipient);
      events.at.push(at);
    } else events.bounces.push({ recipient, reason: bounceReason, at });
    return true;
  }

  /** Removes and returns what was held for `id`. */
  take(id: string): EarlyEvents | undefined {
    const events = this.#byId.get(id);
    if (!events) return undefined;
    this.#byId.delete(id);
    this.#events -= events.recipients.length + events.bounces.length;
    return events;
  }

  /** Arrivals still held: mail the ledger never issued an id for, once the run is over. */
  arrivals(): number {
    let n = 0;
    for (const events of this.#byId.values()) n += events.recipients.length;
    return n;
  }
}
