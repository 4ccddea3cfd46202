// The cutover replay's own metrics, said once.
import type { DeclarationTable } from '../../engine/metrics/declare.ts';

export const CUTOVER_METRICS: DeclarationTable = {
  front_end_platform: { kind: 'gauge', unit: 'count', label: 'platform the front end sends to (0 old, 1 new)' },
  mail_on_new_platform: { kind: 'gauge', unit: 'count', label: 'messages held on the new platform', topic: 'delivery' },
  new_platform_fail_share: { kind: 'gauge', unit: 'ratio', label: "share of the new platform's MTAs failed", topic: 'errors' },
  cutover_attempts: { kind: 'counter', unit: 'count', label: 'submission attempts', topic: 'throughput', worse: 'lower' },
  cutover_mail: { kind: 'counter', unit: 'count', label: 'messages by where they went', topic: 'delivery', worse: 'lower' },
  congestion_bounced: { kind: 'rate', unit: 'ratio', label: 'messages sent during the cutover' },
  login_regressions: { kind: 'counter', unit: 'count', label: 'logins that stopped working after the round trip', topic: 'errors' },
  mail_missing: { kind: 'counter', unit: 'count', label: 'messages missing from their mailbox', topic: 'delivery' },
  mail_stranded: { kind: 'counter', unit: 'count', label: 'messages stranded on the new platform', topic: 'delivery' },
  mailbox_inconsistent: { kind: 'counter', unit: 'count', label: 'mailboxes that differ after the round trip', topic: 'errors' },
  rollback_seconds: { kind: 'trend', unit: 's', label: 'rollbacks', topic: 'latency' },
  window_delivery_delay: { kind: 'trend', unit: 'ms', label: 'messages sent in the cutover window', topic: 'latency' },
};
