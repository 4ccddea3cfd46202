import type { SharedIterations } from '../options/types.ts';
import type { ScenarioRuntime } from './scenario-runtime.ts';
import { vuLoop } from './vu-loop.ts';
import { untilDoneOrMaxDuration } from './max-duration.ts';

/** k6 shared-iterations: `vus` VUs share `iterations` iterations (within maxDuration). */
export function runSharedIterations(config: SharedIterations, rt: ScenarioRuntime): Promise<void> {
  let taken = 0;
  const next = () => (taken < config.iterations ? taken++ : undefined);
  const loops: Promise<void>[] = [];
  for (let i = 0; i < config.vus; i++) loops.push(vuLoop(rt, rt.newVu(), next));
  return untilDoneOrMaxDuration(rt, loops, config.maxDuration);
}
