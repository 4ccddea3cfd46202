// Which k6 scenarios of a run go to worker threads and which stay on the main thread: a
// scenario whose flow is in the definition's workerFlows is split across the workers by
// execution segments; any other one (its flow shares state with setup, the stack or other
// flows) runs whole on the main thread, with the reason written down.
import type { ExecutorConfig } from '../../engine/options/types.ts';
import type { ScenarioDefinition } from '../scenario/types.ts';

export interface Placement {
  worker: Record<string, ExecutorConfig>;
  main: Record<string, ExecutorConfig>;
  mainThread: { scenario: string; why: string }[];
}

/** `blocker`: a reason no flow can leave the main thread this run (say, data that cannot be copied). */
export function placeScenarios(def: ScenarioDefinition, scenarios: Record<string, ExecutorConfig>, blocker?: string): Placement {
  const placement: Placement = { worker: {}, main: {}, mainThread: [] };
  const allowed = new Set(def.workerFlows ?? []);
  for (const [name, config] of Object.entries(scenarios)) {
    const flow = config.exec ?? name;
    const why = blocker ?? (allowed.has(flow) ? undefined : `flow "${flow}" is not in the scenario's workerFlows`);
    if (why === undefined) placement.worker[name] = { ...config, exec: flow };
    else {
      placement.main[name] = config;
      placement.mainThread.push({ scenario: name, why });
    }
  }
  return placement;
}
