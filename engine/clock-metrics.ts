// The metric a paced clock records, said once (see paced-clock.ts).
import type { DeclarationTable } from './metrics/declare.ts';

export const CLOCK_METRICS: DeclarationTable = {
  // wall ms a scheduled simulated event happened behind the compressed schedule it was planned on
  replay_lag: { kind: 'trend', unit: 'ms', label: 'replayed events behind the compressed schedule', topic: 'harness' },
};
