// Per-scenario machinery shared by every executor: runs one iteration with its metrics and
// abort signal, tracks iterations in flight, and ends them (gracefully or not).
import { InputError } from '../errors.ts';
import type { ExecutorConfig } from '../options/types.ts';
import type { Tags } from '../metrics/types.ts';
import type { ExecutorDeps, IterationFn } from './types.ts';

interface Running {
  done: boolean;
  interrupt(reason: unknown): void;
}

export function errorKind(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { code, name } = error as { code?: unknown; name?: unknown };
    if (code !== undefined && code !== null && code !== '') return String(code);
    if (typeof name === 'string' && name) return name;
  }
  return typeof error === 'string' ? 'string' : 'unknown';
}

export class ScenarioRuntime {
  readonly flow: string;
  readonly tags: Tags;
  /** VUs counted in activeVUs(): looping VUs, or busy VUs of arrival-rate executors. */
  activeVUs = 0;
  readonly #fn: IterationFn;
  readonly #lifetime = new AbortController();
  readonly #inFlight = new Set<Running>();
  #idleWaiters: (() => void)[] = [];
  readonly #loops = new Set<Promise<void>>();
  #ending = false;

  constructor(
    readonly name: string,
    readonly config: ExecutorConfig,
    readonly deps: ExecutorDeps,
    readonly newVu: () => number,
  ) {
    this.flow = config.exec ?? name;
    const fn = deps.flows[this.flow];
    if (!fn) throw new InputError(`scenarios.${name}.exec: no flow named "${this.flow}"`);
    this.#fn = fn;
    this.tags = Object.freeze({ ...config.tags, scenario: name, flow: this.flow });
  }

  /** True once no new iteration may start. */
  get ending(): boolean {
    return this.#ending;
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  endStarts(): void {
    this.#ending = true;
  }

  /** Sleeps on the run's clock; false when cut short by stop() or by `cancel`. */
  async sleep(ms: number, cancel?: AbortSignal): Promise<boolean> {
    // A fresh signal per sleep: listeners a clock leaves on it die with it instead of
    // piling up on the long-lived scenario signal (thousands of sleeps per run).
    const local = new AbortController();
    const forward = () => local.abort();
    const lifetime = this.#lifetime.signal;
    if (lifetime.aborted || cancel?.aborted) return false;
    lifetime.addEventListener('abort', forward, { once: true });
    cancel?.addEventListener('abort', forward, { once: true });
    try {
      await this.deps.clock.sleep(ms, local.signal);
      return true;
    } catch {
      return false;
    } finally {
      lifetime.removeEventListener('abort', forward);
      cancel?.removeEventListener('abort', forward);
    }
  }

  /** Registers a VU loop, so the scenario only ends once its loops have exited. */
  trackLoop(loop: Promise<void>): Promise<void> {
    this.#loops.add(loop);
    void loop.finally(() => this.#loops.delete(loop));
    return loop;
  }

  /** Resolves when every registered VU loop has exited. */
  async loopsDone(): Promise<void> {
    while (this.#loops.size > 0) await Promise.all([...this.#loops]);
  }

  /** Resolves when no iteration is in flight. */
  idle(): Promise<void> {
    if (this.#inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Ends the scenario now: no new starts, sleeps cut short, running iterations interrupted. */
  hardStop(reason: string): void {
    this.#ending = true;
    if (!this.#lifetime.signal.aborted) this.#lifetime.abort(new Error(reason));
    for (const running of [...this.#inFlight]) running.interrupt(new Error(`iteration interrupted: ${reason}`));
  }

  /**
   * Runs one iteration. Never rejects: errors are counted and reported. Resolves when the
   * flow settles or when the iteration is interrupted (a flow that ignores its signal is
   * left behind, not awaited). `cut` interrupts just this iteration (ramp-down).
   */
  iterate(vu: number, iteration: number, cut?: AbortSignal): Promise<void> {
    const { clock, metrics } = this.deps;
    const controller = new AbortController();
    const startedAt = clock.now();
    return new Promise<void>((resolve) => {
      const running: Running = {
        done: false,
        interrupt: (reason) => {
          if (!finish()) return;
          metrics.count('interrupted_iterations', 1, this.tags);
          controller.abort(reason);
        },
      };
      const finish = (): boolean => {
        if (running.done) return false;
        running.done = true;
        cut?.removeEventListener('abort', onCut);
        this.#inFlight.delete(running);
        if (this.#inFlight.size === 0) this.#wakeIdle();
        resolve();
        return true;
      };
      const onCut = () => running.interrupt(new Error('iteration interrupted: VU ramped down'));
      this.#inFlight.add(running);
      if (cut?.aborted) return onCut();
      cut?.addEventListener('abort', onCut, { once: true });
      let promise: Promise<void>;
      try {
        promise = this.#fn({ scenario: this.name, flow: this.flow, vu, iteration, signal: controller.signal });
      } catch (error) {
        promise = Promise.reject(error);
      }
      Promise.resolve(promise).then(
        () => {
          if (running.done) return;
          this.#completed(startedAt);
          finish();
        },
        (error: unknown) => {
          if (running.done) return;
          this.#completed(startedAt);
          metrics.count('iteration_errors', 1, { ...this.tags, kind: errorKind(error) });
          try {
            this.deps.onIterationError({ scenario: this.name, flow: this.flow, error });
          } catch {
            // A broken error listener must not end the run.
          }
          finish();
        },
      );
    });
  }

  // k6 counts failed iterations in `iterations` too; interrupted ones are counted apart.
  #completed(startedAt: number): void {
    this.deps.metrics.count('iterations', 1, this.tags);
    this.deps.metrics.trend('iteration_duration', this.deps.clock.now() - startedAt, this.tags);
  }

  #wakeIdle(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const w of waiters) w();
  }
}
