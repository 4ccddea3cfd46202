// The mass-lockout replay's own metrics, said once (replay_lag is the paced clock's).
import type { DeclarationTable } from '../../engine/metrics/declare.ts';
import { CLOCK_METRICS } from '../../engine/clock-metrics.ts';

export const MASS_LOCKOUT_METRICS: DeclarationTable = {
  ...CLOCK_METRICS,
  // wall ms an overdue event ran behind its compressed schedule
  lockout_event_lag: { kind: 'trend', unit: 'ms', label: 'lockout events behind schedule', topic: 'harness' },
  lockout_device_syncs: { kind: 'counter', unit: 'count', label: 'device sync attempts', topic: 'throughput', worse: 'lower' },
  lockout_user_logins: { kind: 'counter', unit: 'count', label: 'user logins', topic: 'throughput', worse: 'lower' },
  lockout_user_login_time: { kind: 'trend', unit: 'ms', label: 'user logins', topic: 'latency' },
  lockout_locked_now: { kind: 'gauge', unit: 'count', label: 'accounts locked now', topic: 'lockouts' },
  lockout_accounts_locked: { kind: 'gauge', unit: 'count', label: 'accounts locked at least once', topic: 'lockouts' },
  lockout_accounts_locked_by_cause: { kind: 'gauge', unit: 'count', label: 'accounts locked, by cause', topic: 'lockouts' },
  lockout_locked_pct: { kind: 'gauge', unit: 'count', label: "per cent of an organisation's accounts locked", topic: 'lockouts' },
  lockout_longest_locked_hours: { kind: 'gauge', unit: 'count', label: 'simulated hours the longest lockout lasted', topic: 'lockouts' },
  lockout_stale_device_accounts: { kind: 'gauge', unit: 'count', label: 'accounts with a stale device', topic: 'lockouts' },
  helpdesk_backlog: { kind: 'gauge', unit: 'count', label: 'unlock requests waiting for the helpdesk', topic: 'lockouts' },
  helpdesk_backlog_at_deadline: { kind: 'gauge', unit: 'count', label: 'unlock requests still waiting at the deadline', topic: 'lockouts' },
};
