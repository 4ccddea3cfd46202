// What a stack provider registers: its kind, its own --config schema, and how to load it.
// A plugin is cheap to import (no container tooling): the provider itself is loaded only
// when a run asks for its kind, so `--stack embedded` never loads testcontainers.
import type { StackProvider } from './types.ts';

export interface StackPlugin<K extends string = string> {
  readonly kind: K;
  /**
   * Checks the provider's part of --config (a YAML mapping) and says what is wrong, naming
   * the field (InputError). Absent: the provider takes no config file.
   */
  parseConfig?(value: Record<string, unknown>, where: string): void;
  /** Loads the provider (lazily, so its dependencies load only when a run uses it). */
  load(): Promise<StackProvider>;
}

/** Keeps the kind's literal type, so the set of kinds is derived from the registered plugins. */
export function defineStackPlugin<const K extends string>(plugin: StackPlugin<K>): StackPlugin<K> {
  return plugin;
}
