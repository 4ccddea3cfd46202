// What one chaos run changed on a (possibly shared) Toxiproxy, so rollback undoes exactly
// that: the toxics it added and the proxies it disabled, nothing else.

export class ChaosJournal {
  readonly #toxics = new Map<string, { proxy: string; name: string; type: string }>();
  readonly #disabled = new Set<string>();

  added(proxy: string, name: string, type: string): void {
    this.#toxics.set(`${proxy}\u0000${name}`, { proxy, name, type });
  }

  removed(proxy: string, name: string): void {
    this.#toxics.delete(`${proxy}\u0000${name}`);
  }

  disabled(proxy: string): void {
    this.#disabled.add(proxy);
  }

  enabled(proxy: string): void {
    this.#disabled.delete(proxy);
  }

  toxics(): { proxy: string; name: string; type: string }[] {
    return [...this.#toxics.values()];
  }

  disabledProxies(): string[] {
    return [...this.#disabled];
  }

  get empty(): boolean {
    return this.#toxics.size === 0 && this.#disabled.size === 0;
  }
}
