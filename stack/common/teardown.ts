// A provider's teardown: the engine's bounded reverse steps (engine/teardown.ts), stopped
// once however often stop() is called, with every failed step in one StackError.
import { StackError } from '../../engine/errors.ts';
import { Teardown } from '../../engine/teardown.ts';

export class StackTeardown {
  readonly #steps = new Teardown();
  #stopping: Promise<void> | undefined;

  /** @param what names the stack in the error, e.g. "the docker stack" */
  constructor(private readonly what: string) {}

  add(name: string, stop: () => Promise<void> | void): void {
    this.#steps.add(name, stop);
  }

  /** Stops everything added, last first; safe to call twice (the second call waits for the first). */
  stop(): Promise<void> {
    return (this.#stopping ??= this.#steps.run().then((failures) => {
      if (failures.length > 0) throw new StackError(`stopping ${this.what} failed: ${failures.map((f) => `${f.task}: ${f.message}`).join('; ')}`);
    }));
  }
}
