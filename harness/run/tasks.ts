// A run is an ordered list of tasks; each task that starts something registers how to
// undo it. Teardown (engine/teardown.ts) runs every undo in reverse order, each bounded in
// time, and keeps going past failures so one broken step cannot leave the rest running.
import { Teardown, type TeardownFailure } from '../../engine/teardown.ts';

export type { TeardownFailure } from '../../engine/teardown.ts';

export class TaskList {
  readonly #undo: Teardown;
  #tornDown = false;

  constructor(stepTimeoutMs = 30_000) {
    this.#undo = new Teardown(stepTimeoutMs);
  }

  /** Runs `start`; when it succeeds and `stop` is given, remembers `stop` for teardown. */
  async step<T>(name: string, start: () => Promise<T> | T, stop?: (value: T) => Promise<void> | void): Promise<T> {
    const value = await start();
    if (stop) this.#undo.add(name, () => stop(value));
    return value;
  }

  /** Registers an undo without a start step (for things started elsewhere). */
  onTeardown(name: string, fn: () => Promise<void> | void): void {
    this.#undo.add(name, fn);
  }

  get tornDown(): boolean {
    return this.#tornDown;
  }

  teardown(): Promise<TeardownFailure[]> {
    this.#tornDown = true;
    return this.#undo.run();
  }
}
