// k6's option schema, as far as mailstorm uses it: options.scenarios with k6's executor
// names and fields, and options.thresholds with k6's threshold expressions.

/** A k6 duration: "30s", "1m30s", "250ms". */
export type Duration = string;

interface ExecutorCommon {
  /** Flow function to run; defaults to the k6 scenario's own name. */
  exec?: string;
  startTime?: Duration;
  gracefulStop?: Duration;
  tags?: Record<string, string>;
}

export interface ConstantArrivalRate extends ExecutorCommon {
  executor: 'constant-arrival-rate';
  rate: number;
  timeUnit?: Duration;
  duration: Duration;
  preAllocatedVUs: number;
  maxVUs?: number;
}

export interface Stage {
  target: number;
  duration: Duration;
}

export interface RampingArrivalRate extends ExecutorCommon {
  executor: 'ramping-arrival-rate';
  startRate?: number;
  timeUnit?: Duration;
  stages: Stage[];
  preAllocatedVUs: number;
  maxVUs?: number;
}

export interface ConstantVus extends ExecutorCommon {
  executor: 'constant-vus';
  vus: number;
  duration: Duration;
}

export interface RampingVus extends ExecutorCommon {
  executor: 'ramping-vus';
  startVUs?: number;
  stages: Stage[];
  gracefulRampDown?: Duration;
}

export interface PerVuIterations extends ExecutorCommon {
  executor: 'per-vu-iterations';
  vus: number;
  iterations: number;
  maxDuration?: Duration;
}

export interface SharedIterations extends ExecutorCommon {
  executor: 'shared-iterations';
  vus: number;
  iterations: number;
  maxDuration?: Duration;
}

export type ExecutorConfig =
  | ConstantArrivalRate
  | RampingArrivalRate
  | ConstantVus
  | RampingVus
  | PerVuIterations
  | SharedIterations;

export interface ThresholdObject {
  threshold: string;
  abortOnFail?: boolean;
  delayAbortEval?: Duration;
  /** mailstorm extension: one sentence of what a failure means for users. */
  description?: string;
}

export type Threshold = string | ThresholdObject;

export interface Options {
  scenarios: Record<string, ExecutorConfig>;
  /** metric (optionally with a tag filter, "delivery_latency{flow:background}") -> expressions */
  thresholds?: Record<string, Threshold[]>;
}
