// Ledger figures as metrics, so gates can read them: mail_lost: ['count==0']. This is the one
// place they become metrics (the ledger itself records only delivery_latency), so a gate's
// observed value is the ledger's own figure, never a second count of it.
// Recorded per flow only (a query without a filter sums the flows), or once untagged
// when nothing was sent, so the counters exist with 0.
import type { LedgerSummary } from '../../engine/ledger/types.ts';
import type { MetricsSink } from '../../engine/metrics/types.ts';

export function recordLedger(metrics: MetricsSink, summary: LedgerSummary, outstanding: number): void {
  const flows = Object.entries(summary.byFlow);
  if (flows.length === 0) {
    for (const name of ['mail_lost', 'mail_duplicated', 'mail_delivered', 'mail_bounced', 'mail_delivered_after_failure']) metrics.count(name, 0);
  }
  for (const [flow, f] of flows) {
    const tags = { flow };
    metrics.count('mail_lost', f.lost, tags);
    metrics.count('mail_duplicated', f.duplicated, tags);
    metrics.count('mail_delivered', f.delivered, tags);
    metrics.count('mail_bounced', f.bounced, tags);
    metrics.count('mail_delivered_after_failure', f.deliveredAfterFailure, tags);
    // only when a remote reconcile could not read some mailbox: a gate on it then has a figure
    if (f.unverified !== undefined) metrics.count('mail_unverified', f.unverified, tags);
  }
  metrics.count('mail_unexpected', summary.unexpected);
  metrics.gauge('mail_outstanding', outstanding);
}
