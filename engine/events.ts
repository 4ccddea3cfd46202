// Domain events of a run (lockouts, checkpoints, degradation_detected, faults), in
// time order, for result.json and the report's timeline.

export interface RunEvent {
  /** ms since the run started */
  t: number;
  type: string;
  [key: string]: unknown;
}

export interface EventLog {
  record(type: string, data?: Record<string, unknown>): RunEvent;
  all(): readonly RunEvent[];
}

/** Keeps at most `limit` events so a runaway emitter cannot exhaust memory; counts the rest. */
export class MemoryEventLog implements EventLog {
  readonly #events: RunEvent[] = [];
  #dropped = 0;

  constructor(
    private readonly startedAt: number,
    private readonly now: () => number = Date.now,
    private readonly limit = 100_000,
    private readonly listener?: (event: RunEvent) => void,
  ) {}

  record(type: string, data: Record<string, unknown> = {}): RunEvent {
    const event: RunEvent = { ...data, t: this.now() - this.startedAt, type };
    if (this.#events.length < this.limit) this.#events.push(event);
    else this.#dropped++;
    this.listener?.(event);
    return event;
  }

  all(): readonly RunEvent[] {
    return this.#events;
  }

  get dropped(): number {
    return this.#dropped;
  }
}
