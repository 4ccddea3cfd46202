// The weekend-migration replay's own metrics, said once.
import type { DeclarationTable } from '../../engine/metrics/declare.ts';

export const WEEKEND_MIGRATION_METRICS: DeclarationTable = {
  migration_accounts: { kind: 'counter', unit: 'count', label: 'account moves by outcome', topic: 'migration', worse: 'lower' },
  migration_messages_copied: { kind: 'counter', unit: 'count', label: 'messages copied', topic: 'migration', worse: 'lower' },
  migration_account_success: { kind: 'rate', unit: 'ratio', label: 'account moves', worse: 'lower' },
  live_mail_accepted: { kind: 'rate', unit: 'ratio', label: 'live messages sent during the migration', worse: 'lower' },
  migration_account_real_ms: { kind: 'trend', unit: 'ms', label: 'account moves', topic: 'latency' },
  // wall ms the stack spent serving a move, without time the harness lost (see flows.ts)
  migration_account_service_ms: { kind: 'trend', unit: 'ms', label: 'account moves (service time)', topic: 'latency' },
  migration_accounts_done: { kind: 'gauge', unit: 'count', label: 'migrated accounts', topic: 'migration', worse: 'lower' },
  migration_movers_busy: { kind: 'gauge', unit: 'count', label: 'busy movers', topic: 'migration', worse: 'lower' },
  migration_projected_hours: { kind: 'gauge', unit: 'count', label: 'projected simulated hours to finish', topic: 'migration' },
  migration_projected_hours_wall: { kind: 'gauge', unit: 'count', label: 'projected simulated hours to finish, at wall speed', topic: 'migration' },
  migration_projected_ratio: { kind: 'gauge', unit: 'count', label: 'projected share of the window', topic: 'migration' },
  migration_projected_ratio_wall: { kind: 'gauge', unit: 'count', label: 'projected share of the window, at wall speed', topic: 'migration' },
  live_mail_lost: { kind: 'gauge', unit: 'count', label: 'live messages lost', topic: 'delivery' },
  live_mail_duplicated: { kind: 'gauge', unit: 'count', label: 'live messages duplicated', topic: 'delivery' },
  migration_corrupt_mailboxes: { kind: 'gauge', unit: 'count', label: 'corrupt mailboxes found', topic: 'migration' },
  migration_integrity_failures: { kind: 'gauge', unit: 'count', label: 'mailboxes that failed the integrity check', topic: 'errors' },
};
