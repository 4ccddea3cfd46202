// A gate's outcome: one threshold expression evaluated on a run's metrics.
export interface GateResult {
  /** Metric name with its tag filter, as written: "delivery_latency{flow:background}". */
  metric: string;
  /** The expression: "p(99)<60000". */
  expression: string;
  /** Observed value of the expression's statistic; null when there were no samples. */
  observed: number | null;
  ok: boolean;
  /** Why it failed when not a plain comparison: "no samples", "metric never recorded". */
  reason?: string;
  abortOnFail: boolean;
  /** What a failure means for users. */
  description?: string;
}
