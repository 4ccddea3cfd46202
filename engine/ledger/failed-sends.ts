// Sends the client saw fail, and the deliveries of them that arrived anyway: a fault cut the
// reply after the stack had taken the message (delivered_after_failure, the duplicate-on-retry
// risk). Attempts are registered before sending, so an early arrival waits for the verdict.

export class FailedSends {
  /** attempted, not yet settled: id -> flow */
  readonly #attempts = new Map<string, string>();
  /** the client saw these fail: id -> flow */
  readonly #failed = new Map<string, string>();
  /** "id recipient" pairs that arrived after a failure, counted once each */
  readonly #arrived = new Set<string>();
  readonly #byFlow = new Map<string, number>();
  readonly #samples: string[] = [];

  attempt(id: string, flow: string): void {
    this.#attempts.set(id, flow);
  }

  /** The send was accepted: the ledger expects it now. */
  settle(id: string): void {
    this.#attempts.delete(id);
  }

  /** The send failed; false when the id was never attempted. */
  fail(id: string): boolean {
    const flow = this.#attempts.get(id);
    if (flow === undefined) return false;
    this.#attempts.delete(id);
    this.#failed.set(id, flow);
    return true;
  }

  /** Counts an arrival when `id` failed; false when it did not (the caller goes on). */
  arrived(id: string, recipient: string): boolean {
    const flow = this.#failed.get(id);
    if (flow === undefined) return false;
    const key = `${id} ${recipient.toLowerCase()}`;
    if (this.#arrived.has(key)) return true;
    this.#arrived.add(key);
    this.#byFlow.set(flow, (this.#byFlow.get(flow) ?? 0) + 1);
    if (this.#samples.length < 5) this.#samples.push(`${id} -> ${recipient}`);
    return true;
  }

  isFailed(id: string): boolean {
    return this.#failed.has(id);
  }

  /** Deliveries after failure per flow. */
  byFlow(): ReadonlyMap<string, number> {
    return this.#byFlow;
  }

  samples(): string[] {
    return [...this.#samples];
  }
}
