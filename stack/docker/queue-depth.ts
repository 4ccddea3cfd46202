// Postfix's queue depth (incoming + active + deferred + hold files), sampled every few seconds
// inside the MTA containers, so Stack.queueDepth() can answer synchronously.
interface Execs {
  exec(command: string[]): Promise<string>;
}

const COUNT = ['sh', '-c', 'find /var/spool/postfix/incoming /var/spool/postfix/active /var/spool/postfix/deferred /var/spool/postfix/hold -type f 2>/dev/null | wc -l'];

export class QueueDepthPoller {
  #depth: number | undefined;
  #timer: NodeJS.Timeout | undefined;
  #busy = false;

  constructor(private readonly containers: readonly Execs[], private readonly intervalMs = 2_000) {}

  get depth(): number | undefined {
    return this.#depth;
  }

  start(): void {
    this.#timer = setInterval(() => void this.sample(), this.intervalMs);
    this.#timer.unref(); // sampling must never keep a finished run alive
    void this.sample();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async sample(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      const counts = await Promise.all(this.containers.map(async (c) => Number.parseInt((await c.exec(COUNT)).trim(), 10)));
      if (counts.every((n) => Number.isFinite(n))) this.#depth = counts.reduce((a, b) => a + b, 0);
    } catch {
      // A container going away mid-sample (stop, failover test) leaves the last value.
    } finally {
      this.#busy = false;
    }
  }
}
