// Stops what was started, in reverse order, even when one stop fails.
import { StackError, errorMessage } from '../../engine/errors.ts';

export class Teardown {
  readonly #steps: { name: string; stop: () => Promise<void> }[] = [];
  #running: Promise<void> | undefined;

  add(name: string, stop: () => Promise<void>): void {
    this.#steps.push({ name, stop });
  }

  /** Safe to call twice: the second call waits for the first. */
  run(): Promise<void> {
    return (this.#running ??= (async () => {
      const failures: string[] = [];
      for (const step of this.#steps.reverse()) {
        try {
          await step.stop();
        } catch (error) {
          failures.push(`${step.name}: ${errorMessage(error)}`);
        }
      }
      if (failures.length > 0) throw new StackError(`stopping the embedded stack failed: ${failures.join('; ')}`);
    })());
  }
}
