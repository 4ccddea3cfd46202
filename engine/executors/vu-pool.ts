// VUs of an arrival-rate executor: preAllocatedVUs up front, more lazily up to maxVUs.
import type { IterationOwner, ScenarioRuntime } from './scenario-runtime.ts';

export class VuPool implements IterationOwner {
  readonly #free: number[] = [];
  #allocated = 0;

  constructor(
    private readonly rt: ScenarioRuntime,
    preAllocated: number,
    private readonly max: number,
  ) {
    for (let i = 0; i < preAllocated; i++) this.#allocate();
  }

  get allocated(): number {
    return this.#allocated;
  }

  /** A free VU id, or undefined when all maxVUs are busy (the caller drops the iteration). */
  acquire(): number | undefined {
    if (this.#free.length === 0 && this.#allocated < this.max) this.#allocate();
    const vu = this.#free.pop();
    if (vu !== undefined) this.rt.activeVUs++;
    return vu;
  }

  release(vu: number): void {
    this.rt.activeVUs--;
    this.#free.push(vu);
  }

  #allocate(): void {
    this.#allocated++;
    this.#free.push(this.rt.newVu());
  }
}
