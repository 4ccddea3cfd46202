import type { SharedIterations } from '../options/types.ts';
import type { ScenarioRuntime } from './scenario-runtime.ts';
import { vuLoop } from './vu-loop.ts';
import { untilDoneOrMaxDuration } from './max-duration.ts';

/** k6 shared-iterations: `vus` VUs share `iterations` iterations (within maxDuration). */
export function runSharedIterations(config: SharedIterations, rt: ScenarioRuntime): Promise<void> {
  // A segment runs its share of the iterations, numbered as in the unsplit test, striped by
  // its share of the VUs (as k6 does) so a segment with no VU is given no iteration.
  const striping = rt.segment.basedOnValue(config.vus);
  if (striping === undefined) return Promise.resolve();
  const iterations = striping.scale(config.iterations);
  let taken = 0;
  const next = () => (taken < iterations ? striping.globalIndex(taken++) : undefined);
  const loops: Promise<void>[] = [];
  for (let i = 0; i < rt.segment.scale(config.vus); i++) loops.push(vuLoop(rt, rt.newVu(), next));
  return untilDoneOrMaxDuration(rt, loops, config.maxDuration);
}
