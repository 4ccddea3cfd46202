// The metrics the executors create, said once: what each counts and in what unit.
import type { DeclarationTable } from '../metrics/declare.ts';

export const EXECUTOR_METRICS: DeclarationTable = {
  iterations: { kind: 'counter', unit: 'count', label: 'iterations' },
  iteration_duration: { kind: 'trend', unit: 'ms', label: 'iteration duration' },
  iteration_errors: { kind: 'counter', unit: 'count', label: 'failed iterations' },
  iteration_failed: { kind: 'rate', unit: 'ratio', label: 'share of iterations that failed' },
  interrupted_iterations: { kind: 'counter', unit: 'count', label: 'interrupted iterations' },
  dropped_iterations: { kind: 'counter', unit: 'count', label: 'dropped iterations' },
  schedule_lag: { kind: 'trend', unit: 'ms', label: 'iteration start lag behind schedule' },
  vus: { kind: 'gauge', unit: 'count', label: 'active virtual users' },
};
