// The scenario of the multi-core arrival-rate benchmark: a no-op flow at a constant arrival
// rate, allowed in worker threads, against a stack that is never contacted.
import { z } from 'zod';
import { defineScenario } from '../../harness/scenario/types.ts';

export default defineScenario({
  name: 'bench-noop-rate',
  description: 'A no-op flow at a constant arrival rate, split across --workers.',
  incident: 'None: a benchmark.',
  params: z.object({
    rate: z.number().int().min(1).default(50_000),
    duration: z.string().default('10s'),
  }),
  stack: () => ({}),
  options: (p) => ({
    scenarios: { noop: { executor: 'constant-arrival-rate', rate: p.rate, timeUnit: '1s', duration: p.duration, preAllocatedVUs: 500, maxVUs: 5000, exec: 'noop' } },
    thresholds: {},
  }),
  defaultGates: false,
  drain: () => ({ timeout: '0s' }),
  workerFlows: ['noop'],
  flows: {
    async noop() {},
  },
});
