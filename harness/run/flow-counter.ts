// Iterations per flow, so progress can show it/s per flow without reading the metrics.
export class FlowCounter {
  readonly #counts = new Map<string, number>();
  #last = new Map<string, number>();

  inc(flow: string, n = 1): void {
    this.#counts.set(flow, (this.#counts.get(flow) ?? 0) + n);
  }

  /** Iterations per second per flow since the previous call. */
  ratesSince(elapsedSinceLastMs: number): Record<string, number> {
    const out: Record<string, number> = {};
    const seconds = Math.max(elapsedSinceLastMs, 1) / 1000;
    for (const [flow, n] of this.#counts) out[flow] = (n - (this.#last.get(flow) ?? 0)) / seconds;
    this.#last = new Map(this.#counts);
    return out;
  }
}
