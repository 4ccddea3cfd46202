// The delivery ledger's figures as metrics, said once: delivery_latency is recorded by the
// ledger as mail arrives, the rest once at reconcile (harness/run/record-ledger.ts).
import type { DeclarationTable } from '../metrics/declare.ts';

export const LEDGER_METRICS: DeclarationTable = {
  delivery_latency: { kind: 'trend', unit: 'ms', label: 'mail', topic: 'latency' },
  mail_delivered: { kind: 'counter', unit: 'count', label: 'delivered messages', topic: 'delivery', worse: 'lower' },
  mail_lost: { kind: 'counter', unit: 'count', label: 'lost messages', topic: 'delivery' },
  mail_duplicated: { kind: 'counter', unit: 'count', label: 'duplicated messages', topic: 'delivery' },
  mail_bounced: { kind: 'counter', unit: 'count', label: 'bounced messages', topic: 'delivery' },
  mail_unverified: { kind: 'counter', unit: 'count', label: 'messages to mailboxes that could not be read', topic: 'delivery' },
  mail_unexpected: { kind: 'counter', unit: 'count', label: 'unexpected messages', topic: 'delivery' },
  mail_delivered_after_failure: { kind: 'counter', unit: 'count', label: 'messages delivered after their send failed', topic: 'delivery' },
  mail_outstanding: { kind: 'gauge', unit: 'count', label: 'outstanding messages', topic: 'delivery' },
};

/**
 * Ledger figures: they need the deliveries' arrivals, which a k6 runner or a remote
 * platform does not show mailstorm (live_mail_*: the migration's live mail, from the ledger).
 */
export function isLedgerMetric(name: string): boolean {
  return /^(live_)?mail_/.test(name) || name === 'delivery_latency';
}
