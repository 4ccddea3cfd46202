// One looping VU of a VU-based executor.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ScenarioRuntime } from './scenario-runtime.ts';

/**
 * Runs iterations back to back while `next()` gives an iteration index and the scenario is
 * not ending. Gives the event loop a turn between iterations so a flow that never really
 * waits cannot starve timers and sockets.
 */
export function vuLoop(
  rt: ScenarioRuntime,
  vu: number,
  next: () => number | undefined,
  options: { keepGoing?: () => boolean; cut?: () => AbortSignal | undefined } = {},
): Promise<void> {
  return rt.trackLoop(loop(rt, vu, next, options));
}

async function loop(
  rt: ScenarioRuntime,
  vu: number,
  next: () => number | undefined,
  options: { keepGoing?: () => boolean; cut?: () => AbortSignal | undefined } = {},
): Promise<void> {
  rt.activeVUs++;
  try {
    while (!rt.ending && (options.keepGoing?.() ?? true)) {
      const iteration = next();
      if (iteration === undefined) return;
      await rt.iterate(vu, iteration, options.cut?.());
      await nextTurn();
    }
  } finally {
    rt.activeVUs--;
  }
}
