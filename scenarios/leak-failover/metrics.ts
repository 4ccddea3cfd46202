// The leak-failover replay's own metrics, said once.
import type { DeclarationTable } from '../../engine/metrics/declare.ts';

export const LEAK_FAILOVER_METRICS: DeclarationTable = {
  front_end_target: { kind: 'gauge', unit: 'count', label: 'node the front end sends to (0 primary, 1 standby)' },
  primary_submission_median_ms: { kind: 'gauge', unit: 'ms', label: "primary's median submission time", topic: 'latency' },
  submission_ok: { kind: 'rate', unit: 'ratio', label: 'submissions', worse: 'lower' },
  standby_check_ok: { kind: 'rate', unit: 'ratio', label: 'standby health checks', worse: 'lower' },
  standby_accepted_after_failure: { kind: 'counter', unit: 'count', label: 'messages the standby accepted after the failure', topic: 'throughput', worse: 'lower' },
  // simulated days between the trend alarm and the hard failure
  degradation_lead_days: { kind: 'trend', unit: 'count', label: 'simulated days of warning', topic: 'latency', worse: 'lower' },
  failover_seconds: { kind: 'trend', unit: 's', label: 'failovers', topic: 'latency' },
};
