// capacity.json: the record of one capacity run (steps, knee, fit, headroom). Reports and
// `mailstorm compare` read only this.
import type { UslFit } from './usl-fit.ts';

export const CAPACITY_SCHEMA_VERSION = 1;

export interface StepMeasurement {
  /** the load level: value of the stepped parameter */
  level: number;
  /** throughput the step offered, per real second */
  offered: number;
  /** throughput achieved within the load window, per real second */
  achieved: number;
  /** merged percentiles of the latency trend, real ms; null without samples */
  latency: { p50: number | null; p95: number | null; p99: number | null };
  /** whether the SLO held (the SLO is a gate of the step's own run) */
  sloOk: boolean;
  /** least-squares slope of the queue gauge over the load window, per second; null without a queue */
  queueGrowthPerSec: number | null;
  /** failed iterations and iterations the executor could not start (k6's dropped_iterations) */
  errors: number;
  dropped: number;
  /** the step run's own verdict; "inconclusive" means the harness could not keep up */
  verdict: string;
  /** why the step does or does not count towards the knee, in one line */
  assessment: 'healthy' | 'saturated' | 'slo-broken' | 'inconclusive' | 'broken';
  note: string;
  /** the step's run folder, relative to the capacity folder */
  dir: string;
  /** what the stack's containers, the harness and the machine used; null where nothing is sampled (embedded, remote) */
  resources?: StepResources | null;
}

/** Resource notes of one step, means over its load window. */
export interface StepResources {
  containers: { name: string; cpuCoresMean: number; cpuCoresMax: number; memoryMbMax: number | null }[];
  /** the machine's CPU cores */
  cores: number | null;
  /** busy cores on the whole machine, other people's work included */
  hostBusyCoresMean: number | null;
  /** the harness process's CPU, cores (the rig's harnessCpuShare) */
  harnessCores: number | null;
  /** busy cores neither the containers nor the harness account for */
  otherCores: number | null;
  /** 'machine-cpu' when busy cores reached 90 % of the machine's */
  saturated: 'machine-cpu' | null;
  /** one line: what saturated, with the figures */
  note: string;
}

export interface Knee {
  level: number;
  achieved: number;
  /** the first step past the knee and why it did not qualify */
  brokenBy?: { level: number; assessment: StepMeasurement['assessment']; note: string };
  /** levels above the knee (below brokenBy) the harness could not drive: the knee is a lower bound */
  undrivenAbove?: number[];
  rule: string;
}

export interface HeadroomStatement {
  incident: string;
  statement: string;
  /** the figures the statement was computed from, with units */
  basis: Record<string, number | string>;
}

export interface CapacityResult {
  schemaVersion: typeof CAPACITY_SCHEMA_VERSION;
  kind: 'capacity';
  scenario: string;
  stack: string;
  param: string;
  unit: string;
  slo: string;
  startedAt: string;
  endedAt: string;
  complete: boolean;
  reason: string;
  steps: StepMeasurement[];
  /** null when no step qualified */
  knee: Knee | null;
  /** with no knee: why, by the rule (the first judged step and what it was, inconclusive steps counted) */
  kneeNote?: string;
  /** null with the reason when there were too few points */
  fit: (UslFit & { over: 'level' }) | null;
  fitNote: string;
  headroom: HeadroomStatement[];
  /** rig and stack notes gathered from the step runs (what limited the measurement) */
  notes: string[];
}
