// Distribution lists over a population: "all" users or the first N. Each list's member array
// is built once, on first use, and shared by every expand() call (a 1.2-million-member list
// must not be copied per message).
import { InputError } from '../engine/errors.ts';
import type { Population } from './population.ts';

export interface ListSpec {
  address: string;
  members: 'all' | number;
}

export class DistributionLists {
  readonly #sizes = new Map<string, number>();
  readonly #members = new Map<string, readonly string[]>();

  constructor(private readonly population: Population, specs: readonly ListSpec[] = []) {
    specs.forEach((spec, i) => {
      const address = spec.address.trim().toLowerCase();
      if (!/^[^@\s]+@[^@\s]+$/.test(address)) throw new InputError(`lists[${i}].address must be an e-mail address, got "${spec.address}"`);
      if (population.indexOf(address) >= 0) throw new InputError(`lists[${i}].address "${address}" is already a user's address`);
      const n = spec.members === 'all' ? population.size : spec.members;
      if (!Number.isInteger(n) || n < 0) throw new InputError(`lists[${i}].members must be "all" or a whole number >= 0, got ${String(spec.members)}`);
      this.#sizes.set(address, Math.min(n, population.size));
    });
  }

  has(address: string): boolean {
    return this.#sizes.has(address.trim().toLowerCase());
  }

  addresses(): readonly string[] {
    return [...this.#sizes.keys()];
  }

  size(address: string): number | undefined {
    return this.#sizes.get(address.trim().toLowerCase());
  }

  expand(address: string): readonly string[] | undefined {
    const key = address.trim().toLowerCase();
    const n = this.#sizes.get(key);
    if (n === undefined) return undefined;
    let members = this.#members.get(key);
    if (!members) {
      members = Object.freeze(this.#build(n));
      this.#members.set(key, members);
    }
    return members;
  }

  /**
   * Builds member addresses as slices of one joined string: V8 keeps each as a small slice
   * over the joined text instead of a concatenation tree, about a third of the memory.
   */
  #build(n: number): string[] {
    if (n === 0) return [];
    const chunks: string[] = [];
    for (let i = 0; i < n; i++) chunks.push(this.population.addressAt(i));
    return chunks.join('\n').split('\n');
  }

  isMember(list: string, address: string): boolean {
    const n = this.#sizes.get(list.trim().toLowerCase());
    if (n === undefined) return false;
    const i = this.population.indexOf(address);
    return i >= 0 && i < n;
  }
}
