import type { PerVuIterations } from '../options/types.ts';
import type { ScenarioRuntime } from './scenario-runtime.ts';
import { vuLoop } from './vu-loop.ts';
import { untilDoneOrMaxDuration } from './max-duration.ts';

/** k6 per-vu-iterations: each of `vus` VUs runs exactly `iterations` iterations (within maxDuration). */
export function runPerVuIterations(config: PerVuIterations, rt: ScenarioRuntime): Promise<void> {
  const loops: Promise<void>[] = [];
  for (let i = 0; i < rt.segment.scale(config.vus); i++) {
    let iteration = 0;
    loops.push(vuLoop(rt, rt.newVu(), () => (iteration < config.iterations ? iteration++ : undefined)));
  }
  return untilDoneOrMaxDuration(rt, loops, config.maxDuration);
}
