// Helpers for engine tests driven by a ManualClock.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ManualClock } from '../../engine/clock.ts';
import { MetricsRegistry } from '../../engine/metrics/registry.ts';
import type { ExecutorDeps, IterationFn } from '../../engine/executors/types.ts';

/** Lets every pending continuation run (several event-loop turns). */
export async function settle(turns = 6): Promise<void> {
  for (let i = 0; i < turns; i++) await nextTurn();
}

/** Moves the manual clock forward in steps, letting the engine react after each. */
export async function advance(clock: ManualClock, ms: number, step = 10): Promise<void> {
  for (let done = 0; done < ms; done += step) {
    clock.advance(Math.min(step, ms - done));
    await settle();
  }
}

export function depsFor(clock: ManualClock | ExecutorDeps['clock'], flows: Record<string, IterationFn>, signal = new AbortController().signal) {
  const metrics = new MetricsRegistry({ startedAt: clock.now(), now: () => clock.now() });
  const errors: { scenario: string; flow: string; error: unknown }[] = [];
  const deps: ExecutorDeps = { flows, clock, metrics, signal, onIterationError: (info) => errors.push(info) };
  return { deps, metrics, errors };
}

/** A counter's total over all its series matching `filter` (0 when never recorded). */
export function total(metrics: MetricsRegistry, name: string, filter: Record<string, string> = {}): number {
  return metrics.query(name, filter)?.stat('count') ?? 0;
}
