// Which mailstore each user's mail goes to: the spec's deliverTo, unless the user was moved
// (Stack.routeUser). Plain class, no sockets: the LMTP router asks it once per recipient,
// at the moment of delivery, so a route changes the next delivery at once. Deliveries the
// old store is still committing when a user moves are tracked, so a mover can wait for them
// (settled) before its last sweep of the old store.
import { InputError } from '../../engine/errors.ts';

export class MailboxRoutes {
  readonly #moved = new Map<string, string>();
  readonly #committing = new Map<string, Set<Promise<unknown>>>();

  constructor(
    readonly stores: readonly string[],
    readonly defaultStore: string,
  ) {}

  route(address: string, store: string): void {
    if (!this.stores.includes(store)) throw new InputError(`routeUser: mailstore "${store}" is not in this stack (${this.stores.join(', ')})`);
    const key = address.trim().toLowerCase();
    if (store === this.defaultStore) this.#moved.delete(key);
    else this.#moved.set(key, store);
  }

  storeOf(address: string): string {
    return this.#moved.get(address.trim().toLowerCase()) ?? this.defaultStore;
  }

  /** Marks a store's commit of a user's message as under way until `commit` settles. */
  track<T>(address: string, commit: Promise<T>): Promise<T> {
    const key = address.trim().toLowerCase();
    let set = this.#committing.get(key);
    if (!set) this.#committing.set(key, (set = new Set()));
    set.add(commit);
    const done = () => {
      set.delete(commit);
      if (set.size === 0 && this.#committing.get(key) === set) this.#committing.delete(key);
    };
    commit.then(done, done);
    return commit;
  }

  /** Resolves once every commit under way for the user right now has been answered (never rejects). */
  settled(address: string): Promise<void> {
    const set = this.#committing.get(address.trim().toLowerCase());
    if (!set || set.size === 0) return Promise.resolve();
    return Promise.allSettled([...set]).then(() => undefined);
  }
}
