// A gate's outcome: one threshold expression evaluated on a run's metrics.
export interface GateResult {
  /** Metric name with its tag filter, as written: "delivery_latency{flow:background}". */
  metric: string;
  /** The expression: "p(99)<60000". */
  expression: string;
  /** Observed value of the expression's statistic; null when there were no samples. */
  observed: number | null;
  /** false for a failed gate and for one that was not evaluated (see notEvaluated). */
  ok: boolean;
  /**
   * Set when the run stopped before its end and this gate's outcome is not evidence: it had
   * passed so far, or had no samples yet. Says why; such a gate is neither a pass nor a failure.
   */
  notEvaluated?: string;
  /** Why it failed when not a plain comparison: "no samples", "metric never recorded". */
  reason?: string;
  abortOnFail: boolean;
  /** What a failure means for users. */
  description?: string;
}
