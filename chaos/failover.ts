// A submission front end's failover rule, kept apart from SMTP: an ordered list of endpoints
// (primary first), each health-checked every `intervalMs` by an injected check. The active
// endpoint is the first one in list order that is up. An endpoint goes down after
// `failuresToDown` consecutive failed checks (or failures reported by senders) and comes back
// after `successesToUp` consecutive good checks; when the primary is back, traffic returns to
// it (priority order, like MX preference). Every change of the active endpoint is a
// `failover` event; the time from the primary's failure detection to the first message a
// standby accepted is the figure the leak-and-failover replay gates on.
import type { Clock } from '../engine/clock.ts';
import type { EventLog } from '../engine/events.ts';
import { InputError } from '../engine/errors.ts';

export interface FailoverOptions {
  /** Endpoint names in priority order, e.g. ["submission", "submission-standby"]. */
  endpoints: string[];
  check: (name: string) => Promise<boolean>;
  intervalMs: number;
  clock: Clock;
  /** Default 1: one failed check marks an endpoint down. */
  failuresToDown?: number;
  /** Default 1. */
  successesToUp?: number;
  /** A check that takes longer counts as failed; default 2000 ms. */
  checkTimeoutMs?: number;
  events?: EventLog;
}

export interface FailoverEvent {
  from: string | null;
  to: string | null;
  /** clock ms */
  t: number;
}

export interface FailoverReport {
  failovers: FailoverEvent[];
  /** when the primary was first marked down (clock ms) */
  primaryFailedAt?: number;
  /** first message accepted by any other endpoint after that */
  standbyAcceptedAt?: number;
  standbyAcceptedOn?: string;
  /** standbyAcceptedAt - primaryFailedAt */
  timeToStandbyMs?: number;
  /** whether some standby passed a health check while the primary was down */
  standbyWasHealthy: boolean;
}

export class FailoverSelector {
  readonly #o: Required<Omit<FailoverOptions, 'events'>> & { events?: EventLog };
  readonly #up = new Map<string, boolean>();
  readonly #streak = new Map<string, number>(); // >0 successes, <0 failures in a row
  #active: string | null = null;
  readonly #failovers: FailoverEvent[] = [];
  #primaryFailedAt: number | undefined;
  #standbyAccepted: { t: number; name: string } | undefined;
  #standbyWasHealthy = false;
  #stop = new AbortController();
  #loop: Promise<void> | undefined;

  constructor(options: FailoverOptions) {
    if (options.endpoints.length === 0) throw new InputError('failover.endpoints: give at least one endpoint name');
    if (!(options.intervalMs > 0)) throw new InputError(`failover.intervalMs: must be greater than 0, got ${options.intervalMs}`);
    this.#o = { failuresToDown: 1, successesToUp: 1, checkTimeoutMs: 2000, ...options };
    for (const name of options.endpoints) this.#up.set(name, true); // assumed up until a check says otherwise
    this.#active = options.endpoints[0] ?? null;
  }

  /** Runs the first round of checks, then keeps checking every intervalMs until stop(). */
  async start(): Promise<void> {
    await this.checkNow();
    this.#loop = (async () => {
      while (!this.#stop.signal.aborted) {
        try {
          await this.#o.clock.sleep(this.#o.intervalMs, this.#stop.signal);
        } catch {
          return;
        }
        await this.checkNow();
      }
    })();
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#loop;
  }

  /** The endpoint to send to now, or null when none is up. */
  current(): string | null {
    return this.#active;
  }

  /** One round of health checks on every endpoint, in parallel. */
  async checkNow(): Promise<void> {
    const results = await Promise.all(this.#o.endpoints.map((name) => this.#checkOne(name)));
    this.#o.endpoints.forEach((name, i) => this.#result(name, results[i] as boolean));
    this.#choose();
  }

  /** A sender saw this endpoint fail (connection refused, 4xx/5xx on connect): counts as a failed check. */
  reportFailure(name: string): void {
    if (!this.#up.has(name)) return;
    this.#result(name, false);
    this.#choose();
  }

  /** A message was accepted by `name` at clock time `t`. */
  accepted(name: string, t: number = this.#o.clock.now()): void {
    if (this.#primaryFailedAt !== undefined && !this.#standbyAccepted && name !== this.#o.endpoints[0] && t >= this.#primaryFailedAt) {
      this.#standbyAccepted = { t, name };
    }
  }

  report(): FailoverReport {
    const r: FailoverReport = { failovers: [...this.#failovers], standbyWasHealthy: this.#standbyWasHealthy };
    if (this.#primaryFailedAt !== undefined) r.primaryFailedAt = this.#primaryFailedAt;
    if (this.#standbyAccepted) {
      r.standbyAcceptedAt = this.#standbyAccepted.t;
      r.standbyAcceptedOn = this.#standbyAccepted.name;
      r.timeToStandbyMs = this.#standbyAccepted.t - (this.#primaryFailedAt as number);
    }
    return r;
  }

  async #checkOne(name: string): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), this.#o.checkTimeoutMs)));
    try {
      return await Promise.race([this.#o.check(name).catch(() => false), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  #result(name: string, ok: boolean): void {
    const before = this.#streak.get(name) ?? 0;
    const streak = ok ? Math.max(before, 0) + 1 : Math.min(before, 0) - 1;
    this.#streak.set(name, streak);
    if (ok && streak >= this.#o.successesToUp) this.#up.set(name, true);
    if (!ok && -streak >= this.#o.failuresToDown) {
      if (name === this.#o.endpoints[0] && this.#up.get(name) && this.#primaryFailedAt === undefined) this.#primaryFailedAt = this.#o.clock.now();
      this.#up.set(name, false);
    }
  }

  #choose(): void {
    const primaryDown = this.#up.get(this.#o.endpoints[0] as string) === false;
    if (primaryDown && this.#o.endpoints.slice(1).some((n) => this.#up.get(n))) this.#standbyWasHealthy = true;
    const next = this.#o.endpoints.find((n) => this.#up.get(n)) ?? null;
    if (next === this.#active) return;
    const event: FailoverEvent = { from: this.#active, to: next, t: this.#o.clock.now() };
    this.#failovers.push(event);
    this.#o.events?.record('failover', { from: event.from, to: event.to, at: event.t });
    this.#active = next;
  }
}
