// A run is an ordered list of tasks; each task that starts something registers how to
// undo it. Teardown runs every undo in reverse order, each bounded in time, and keeps
// going past failures so one broken step cannot leave the rest running.
import { errorMessage } from '../../engine/errors.ts';

export interface TeardownFailure {
  task: string;
  message: string;
}

export class TaskList {
  readonly #undo: { name: string; fn: () => Promise<void> | void }[] = [];
  #tornDown = false;

  constructor(private readonly stepTimeoutMs = 30_000) {}

  /** Runs `start`; when it succeeds and `stop` is given, remembers `stop` for teardown. */
  async step<T>(name: string, start: () => Promise<T> | T, stop?: (value: T) => Promise<void> | void): Promise<T> {
    const value = await start();
    if (stop) this.#undo.push({ name, fn: () => stop(value) });
    return value;
  }

  /** Registers an undo without a start step (for things started elsewhere). */
  onTeardown(name: string, fn: () => Promise<void> | void): void {
    this.#undo.push({ name, fn });
  }

  get tornDown(): boolean {
    return this.#tornDown;
  }

  async teardown(): Promise<TeardownFailure[]> {
    this.#tornDown = true;
    const failures: TeardownFailure[] = [];
    while (this.#undo.length) {
      const task = this.#undo.pop();
      if (!task) break;
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          Promise.resolve().then(task.fn),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`did not finish within ${this.stepTimeoutMs} ms`)), this.stepTimeoutMs);
          }),
        ]);
      } catch (error) {
        failures.push({ task: task.name, message: errorMessage(error) });
      } finally {
        clearTimeout(timer);
      }
    }
    return failures;
  }
}
