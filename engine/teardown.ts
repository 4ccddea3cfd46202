// Undo what was started: steps run in reverse order, each bounded in time, and a failing or
// hanging step never keeps the rest from running. The one teardown the run's task list and
// every stack provider use.
import { errorMessage } from './errors.ts';

export interface TeardownFailure {
  task: string;
  message: string;
}

export class Teardown {
  readonly #steps: { name: string; fn: () => Promise<void> | void }[] = [];
  #running: Promise<TeardownFailure[]> | undefined;

  /** @param stepTimeoutMs how long one step may take before it is reported and skipped */
  constructor(private readonly stepTimeoutMs = 30_000) {}

  add(name: string, fn: () => Promise<void> | void): void {
    this.#steps.push({ name, fn });
  }

  /**
   * Runs every step added so far, last first, and says which failed. A call while one is
   * under way shares it; a later call runs only steps added since.
   */
  run(): Promise<TeardownFailure[]> {
    this.#running ??= this.#drain().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #drain(): Promise<TeardownFailure[]> {
    const failures: TeardownFailure[] = [];
    for (let step = this.#steps.pop(); step; step = this.#steps.pop()) {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          Promise.resolve().then(step.fn),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`did not finish within ${this.stepTimeoutMs} ms`)), this.stepTimeoutMs);
          }),
        ]);
      } catch (error) {
        failures.push({ task: step.name, message: errorMessage(error) });
      } finally {
        clearTimeout(timer);
      }
    }
    return failures;
  }
}
