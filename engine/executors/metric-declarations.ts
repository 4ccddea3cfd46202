// The metrics the executors create, said once: what each counts and in what unit.
import type { DeclarationTable } from '../metrics/declare.ts';

export const EXECUTOR_METRICS: DeclarationTable = {
  iterations: { kind: 'counter', unit: 'count', label: 'iterations', topic: 'throughput', worse: 'lower' },
  iteration_duration: { kind: 'trend', unit: 'ms', label: 'iterations', topic: 'latency' },
  iteration_errors: { kind: 'counter', unit: 'count', label: 'failed iterations', topic: 'errors' },
  iteration_failed: { kind: 'rate', unit: 'ratio', label: 'iterations' },
  interrupted_iterations: { kind: 'counter', unit: 'count', label: 'interrupted iterations', topic: 'errors' },
  dropped_iterations: { kind: 'counter', unit: 'count', label: 'dropped iterations', topic: 'errors' },
  schedule_lag: { kind: 'trend', unit: 'ms', label: 'iteration starts behind schedule', topic: 'harness' },
  vus: { kind: 'gauge', unit: 'count', label: 'active virtual users', worse: 'lower' },
};
