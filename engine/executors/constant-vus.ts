import { parseDuration } from '../duration.ts';
import type { ConstantVus } from '../options/types.ts';
import type { ScenarioRuntime } from './scenario-runtime.ts';
import { vuLoop } from './vu-loop.ts';

/** k6 constant-vus: `vus` VUs loop for `duration`. */
export async function runConstantVus(config: ConstantVus, rt: ScenarioRuntime): Promise<void> {
  for (let i = 0; i < rt.segment.scale(config.vus); i++) {
    let iteration = 0;
    void vuLoop(rt, rt.newVu(), () => iteration++);
  }
  await rt.sleep(parseDuration(config.duration));
}
