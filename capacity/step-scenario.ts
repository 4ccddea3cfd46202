// A capacity step is the scenario itself with one parameter set, plus the SLO as a gate of
// its own and probe gates that read the merged latency percentiles (the harness evaluates
// them on merged HDR histograms, so no percentile is ever averaged across tags).
import type { CapacityDeclaration, ScenarioDefinition } from '../harness/scenario/types.ts';
import type { ThresholdObject } from '../engine/options/types.ts';
import { InputError } from '../engine/errors.ts';
import { PROBE_DESCRIPTION } from './measure-step.ts';

export function capacityOf(definition: ScenarioDefinition): CapacityDeclaration<Record<string, unknown>> {
  const declaration = definition.capacity as CapacityDeclaration<Record<string, unknown>> | undefined;
  if (!declaration) throw new InputError(`scenario ${definition.name} declares no capacity (which parameter to step, which metrics are throughput and latency); built-in scenarios that do: user-day, smoke`);
  return declaration;
}

export function stepScenario(definition: ScenarioDefinition, latency: string, slo: string): ScenarioDefinition {
  return {
    ...definition,
    options: (params) => {
      const options = definition.options(params);
      const own = options.thresholds?.[latency] ?? [];
      const probes: ThresholdObject[] = ['p(50)', 'p(95)', 'p(99)'].map((stat) => ({ threshold: `${stat}>=0`, description: PROBE_DESCRIPTION }));
      const sloGate: ThresholdObject = { threshold: slo, description: `capacity SLO: ${latency} ${slo}` };
      return { ...options, thresholds: { ...options.thresholds, [latency]: [...own, sloGate, ...probes] } };
    },
  };
}
