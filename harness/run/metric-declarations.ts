// The metrics the run itself records around the scenario, said once.
import type { DeclarationTable } from '../../engine/metrics/declare.ts';

export const RUN_METRICS: DeclarationTable = {
  // the stack's delivery queue, sampled about once a second (load-phase.ts)
  queue_depth: { kind: 'gauge', unit: 'count', label: 'messages in the delivery queue', topic: 'queue' },
};
