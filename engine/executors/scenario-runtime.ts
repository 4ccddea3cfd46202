// Per-scenario machinery shared by every executor: runs one iteration with its metrics and
// abort signal, tracks iterations in flight, and ends them (gracefully or not).
import { InputError } from '../errors.ts';
import { parseDuration } from '../duration.ts';
import type { ExecutorConfig } from '../options/types.ts';
import type { Tags } from '../metrics/types.ts';
import { FULL_TEST, type ExecutionTuple } from './execution-segment.ts';
import type { ExecutorDeps, IterationFn } from './types.ts';

/** Told when an iteration started with ScenarioRuntime.start() has ended. */
export interface IterationOwner {
  release(vu: number): void;
}

/** What every iteration of one scenario needs; built once per scenario. */
interface Shared {
  readonly name: string;
  readonly flow: string;
  readonly tags: Tags;
  readonly deps: ExecutorDeps;
  readonly inFlight: Set<Running>;
  /** Each VU's iteration signal, kept across iterations until one of them is interrupted. */
  readonly controllers: Map<number, AbortController>;
  wakeIdle(): void;
}

const ONCE = { once: true } as const;

/**
 * One iteration in flight. Methods on a record instead of closures per iteration: the
 * arrival-rate executors start thousands a second and the garbage shows up as GC pauses.
 */
class Running {
  done = false;

  constructor(
    readonly shared: Shared,
    readonly vu: number,
    readonly controller: AbortController,
    readonly startedAt: number,
    readonly cut: AbortSignal | undefined,
    readonly owner: IterationOwner | undefined,
    readonly resolve: (() => void) | undefined,
  ) {}

  /** The `cut` signal's abort listener (an EventListener object, so no closure is needed). */
  handleEvent(): void {
    this.interrupt(new Error('iteration interrupted: VU ramped down'));
  }

  interrupt(reason: unknown): void {
    if (!this.finish()) return;
    const { shared } = this;
    shared.deps.metrics.count('interrupted_iterations', 1, shared.tags);
    // The VU's signal is spent: its next iteration gets a fresh one.
    if (shared.controllers.get(this.vu) === this.controller) shared.controllers.delete(this.vu);
    this.controller.abort(reason);
  }

  /** False when the iteration had already ended. */
  finish(): boolean {
    if (this.done) return false;
    this.done = true;
    const { shared } = this;
    this.cut?.removeEventListener('abort', this);
    shared.inFlight.delete(this);
    this.owner?.release(this.vu);
    if (shared.inFlight.size === 0) shared.wakeIdle();
    this.resolve?.();
    return true;
  }
}

/** Ends `running` when its flow settles, unless it was interrupted first. */
async function settle(running: Running, promise: Promise<void>): Promise<void> {
  let failed = false;
  let error: unknown;
  try {
    await promise;
  } catch (caught) {
    failed = true;
    error = caught;
  }
  if (running.done) return;
  const { shared } = running;
  const { metrics, clock } = shared.deps;
  // k6 counts failed iterations in `iterations` too; interrupted ones are counted apart.
  metrics.count('iterations', 1, shared.tags);
  metrics.trend('iteration_duration', clock.now() - running.startedAt, shared.tags);
  // k6's http_req_failed for iterations: the default per-flow gate reads its rate.
  metrics.rate('iteration_failed', failed, shared.tags);
  if (failed) {
    metrics.count('iteration_errors', 1, { ...shared.tags, kind: errorKind(error) });
    try {
      shared.deps.onIterationError({ scenario: shared.name, flow: shared.flow, error });
    } catch {
      // A broken error listener must not end the run.
    }
  }
  running.finish();
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
  /** This run's execution segment: executors scale VUs and stripe iterations by it. */
  readonly segment: ExecutionTuple;
  /**
   * Clock time the scenario's schedule counts from: the run's start plus its startTime. An
   * arrival-rate schedule is due from here, not from when its loop got going, so setting up
   * (and a late startTime wake-up) shows as lag instead of shifting every start.
   */
  readonly origin: number;
  readonly #fn: IterationFn;
  readonly #lifetime = new AbortController();
  readonly #shared: Shared;
  #idleWaiters: (() => void)[] = [];
  readonly #loops = new Set<Promise<void>>();
  #ending = false;

  constructor(
    readonly name: string,
    readonly config: ExecutorConfig,
    readonly deps: ExecutorDeps,
    readonly newVu: () => number,
    runStart: number = deps.clock.now(),
  ) {
    this.flow = config.exec ?? name;
    this.origin = runStart + (config.startTime === undefined ? 0 : parseDuration(config.startTime));
    this.segment = deps.segment ?? FULL_TEST;
    const fn = deps.flows[this.flow];
    if (!fn) throw new InputError(`scenarios.${name}.exec: no flow named "${this.flow}"`);
    this.#fn = fn;
    this.tags = Object.freeze({ ...config.tags, scenario: name, flow: this.flow });
    this.#shared = {
      name,
      flow: this.flow,
      tags: this.tags,
      deps,
      inFlight: new Set(),
      controllers: new Map(),
      wakeIdle: () => this.#wakeIdle(),
    };
  }

  /** True once no new iteration may start. */
  get ending(): boolean {
    return this.#ending;
  }

  get inFlight(): number {
    return this.#shared.inFlight.size;
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
    if (this.#shared.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Ends the scenario now: no new starts, sleeps cut short, running iterations interrupted. */
  hardStop(reason: string): void {
    this.#ending = true;
    if (!this.#lifetime.signal.aborted) this.#lifetime.abort(new Error(reason));
    for (const running of [...this.#shared.inFlight]) running.interrupt(new Error(`iteration interrupted: ${reason}`));
  }

  /**
   * Runs one iteration. Never rejects: errors are counted and reported. Resolves when the
   * flow settles or when the iteration is interrupted (a flow that ignores its signal is
   * left behind, not awaited). `cut` interrupts just this iteration (ramp-down).
   */
  iterate(vu: number, iteration: number, cut?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => this.start(vu, iteration, undefined, cut, resolve));
  }

  /**
   * Starts one iteration, like iterate(), but tells `owner` (then `resolve`) when it ends
   * instead of returning a promise: the arrival-rate hot path starts thousands a second.
   */
  start(vu: number, iteration: number, owner?: IterationOwner, cut?: AbortSignal, resolve?: () => void): void {
    const shared = this.#shared;
    // One signal per VU, replaced only once an iteration of that VU has been interrupted.
    let controller = shared.controllers.get(vu);
    if (controller === undefined || controller.signal.aborted) {
      controller = new AbortController();
      shared.controllers.set(vu, controller);
    }
    const running = new Running(shared, vu, controller, this.deps.clock.now(), cut, owner, resolve);
    shared.inFlight.add(running);
    if (cut !== undefined) {
      if (cut.aborted) return running.handleEvent();
      cut.addEventListener('abort', running, ONCE);
    }
    let promise: Promise<void>;
    try {
      promise = this.#fn({ scenario: this.name, flow: this.flow, vu, iteration, signal: controller.signal });
    } catch (error) {
      promise = Promise.reject(error);
    }
    void settle(running, promise);
  }

  #wakeIdle(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const w of waiters) w();
  }
}
