// A compressed clock that does not run ahead of a harness that is behind. compressedClock()
// derives simulated time from wall time alone: when the event loop stalls for 800 ms, or the
// process waits for a CPU, simulated time jumps 800 ms x compression, everything scheduled in
// that span fires at once and late, and the stack is blamed for the harness's lag. Here
// simulated time advances in ticks: each tick credits the wall time since the last one, less
// what the process spent waiting for a CPU, and never more than `maxStepMs`. The wall time not
// credited is how far the replay runs behind its compressed schedule (replay_lag).
import type { Clock } from './clock.ts';
import { CLOCK_METRICS } from './clock-metrics.ts';
import { declareAll } from './metrics/declare.ts';
import type { MetricsSink } from './metrics/types.ts';
import { runQueueWaitReader, type RunQueueWaitReader } from './run-queue-wait.ts';

export interface PacedClockOptions {
  /** simulated ms at the start (default Date.now()) */
  origin?: number;
  /** wall ms between ticks (default 10) */
  tickMs?: number;
  /** most wall ms one tick credits (default 50): a longer stall is the harness's, not the replay's */
  maxStepMs?: number;
  /** CPU run-queue wait so far, ns (default /proc/self/schedstat where the kernel has it) */
  runQueueWaitNs?: RunQueueWaitReader;
  /** monotonic wall ms (default performance.now) */
  wallNow?: () => number;
  /** given one, every sleep the clock wakes records replay_lag */
  metrics?: MetricsSink;
  /** ticking stops after this many wall ms with no reader and no sleeper (default 2000) */
  idleMs?: number;
}

export class PacedClock implements Clock {
  readonly factor: number;
  readonly origin: number;
  readonly #tickMs: number;
  readonly #maxStepMs: number;
  readonly #idleMs: number;
  readonly #wall: () => number;
  readonly #runQueueWait: RunQueueWaitReader;
  readonly #metrics: MetricsSink | undefined;
  readonly #wallStart: number;
  /** wall ms credited up to the last tick */
  #credited = 0;
  /** the most any now() handed out: simulated time never runs backwards */
  #given = 0;
  /** share of the last tick's wall time that was credited, to extrapolate between ticks */
  #rate = 1;
  #tickWall: number;
  #waitNs: number | undefined;
  #lastUse: number;
  #sleepers = 0;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(factor: number, options: PacedClockOptions = {}) {
    if (!(factor > 0)) throw new RangeError(`time compression factor must be > 0, got ${factor}`);
    this.factor = factor;
    this.origin = options.origin ?? Date.now();
    this.#tickMs = options.tickMs ?? 10;
    this.#maxStepMs = options.maxStepMs ?? 50;
    this.#idleMs = options.idleMs ?? 2000;
    this.#wall = options.wallNow ?? (() => performance.now());
    this.#runQueueWait = options.runQueueWaitNs ?? runQueueWaitReader();
    this.#metrics = options.metrics;
    if (this.#metrics) declareAll(this.#metrics, CLOCK_METRICS);
    this.#wallStart = this.#tickWall = this.#lastUse = this.#wall();
    this.#waitNs = this.#runQueueWait();
    this.#startTicking();
  }

  now(): number {
    return this.origin + this.creditedMs() * this.factor;
  }

  /** Wall ms credited to simulated time so far (simulated ms elapsed / factor). */
  creditedMs(): number {
    this.#use();
    const sinceTick = Math.min(Math.max(0, this.#wall() - this.#tickWall), this.#maxStepMs);
    this.#given = Math.max(this.#given, this.#credited + sinceTick * this.#rate);
    return this.#given;
  }

  wallElapsedMs(): number {
    return this.#wall() - this.#wallStart;
  }

  /** How far behind its compressed schedule the replay runs now: wall ms not credited. */
  behindMs(): number {
    return Math.max(0, this.wallElapsedMs() - this.creditedMs());
  }

  /** Wall ms by which something due at simulated time `due` is late if it happens now. */
  lateByMs(due: number): number {
    return Math.max(0, this.wallElapsedMs() - (due - this.origin) / this.factor);
  }

  /** Resolves once simulated time has reached now + ms (wall time re-checked, not assumed). */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const due = this.now() + ms;
      this.#sleepers++;
      let timer: ReturnType<typeof setTimeout>;
      const done = () => {
        this.#sleepers--;
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        clearTimeout(timer);
        done();
        reject(signal?.reason);
      };
      const check = () => {
        // Within half a wall ms of due counts as due: no 1 ms re-arms for rounding.
        const left = (due - this.now()) / this.factor;
        if (left > 0.5) {
          timer = setTimeout(check, Math.max(1, left));
          return;
        }
        done();
        this.#metrics?.trend('replay_lag', this.lateByMs(due));
        resolve();
      };
      timer = setTimeout(check, Math.max(0, ms / this.factor));
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Stops ticking (a clock left alone stops by itself after `idleMs`). */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #use(): void {
    this.#lastUse = this.#wall();
    if (this.#timer) return;
    // Nobody watched while ticking was off, so nothing says the gap was a stall: credit it all.
    this.#tick(Infinity);
    this.#startTicking();
  }

  #startTicking(): void {
    this.#timer = setInterval(() => this.#tick(this.#maxStepMs), this.#tickMs);
    this.#timer.unref();
  }

  #tick(maxStep: number): void {
    const wall = this.#wall();
    const waitNs = this.#runQueueWait();
    const waited = waitNs !== undefined && this.#waitNs !== undefined ? (waitNs - this.#waitNs) / 1e6 : 0;
    this.#waitNs = waitNs;
    const delta = Math.max(0, wall - this.#tickWall);
    const ran = Math.max(0, delta - waited);
    this.#rate = delta > 0 ? Math.min(1, ran / delta) : 1;
    // The true credit keeps its own count; now() holds at #given until it catches up.
    this.#credited += Math.min(ran, maxStep);
    this.#tickWall = wall;
    if (this.#sleepers === 0 && wall - this.#lastUse > this.#idleMs) this.stop();
  }
}

/** How far behind its compressed schedule a clock's replay runs now, in wall ms (0 for a clock that is not paced). */
export function replayBehindMs(clock: Clock): number {
  return clock instanceof PacedClock ? clock.behindMs() : 0;
}
