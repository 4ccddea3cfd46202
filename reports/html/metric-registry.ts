// Known metrics: which chart group each belongs to, its unit, and how to talk about it.
// Series whose names are not listed are still charted, in the generic "other" group.
import type { MetricKind } from '../../engine/metrics/types.ts';

export type ChartGroup =
  | 'throughput'
  | 'errors'
  | 'rates'
  | 'latency'
  | 'queue'
  | 'lockouts'
  | 'migration'
  | 'delivery'
  | 'harness'
  | 'other';

/** ms: durations; count: how many; ratio: 0..1; s: seconds since the run started. */
export type Unit = 'ms' | 'count' | 'ratio' | 's';

export interface KnownMetric {
  group: ChartGroup;
  unit: Unit;
  /** Plain words for sentences: "mail delivery", "submissions". */
  noun: string;
  /** For rates: true when a higher value is worse (failures); false for successes. */
  higherIsWorse: boolean;
}

const known = (group: ChartGroup, unit: Unit, noun: string, higherIsWorse = true): KnownMetric => ({ group, unit, noun, higherIsWorse });

const REGISTRY: Record<string, KnownMetric> = {
  // load and errors
  iterations: known('throughput', 'count', 'iterations', false),
  'mta.accepted': known('throughput', 'count', 'accepted messages', false),
  'smtp.accepted': known('throughput', 'count', 'accepted submissions', false),
  'mta.deliveries_queued': known('throughput', 'count', 'deliveries queued', false),
  'smtp.codes': known('other', 'count', 'SMTP replies', false),
  'http.codes': known('other', 'count', 'HTTP replies', false),
  dropped_iterations: known('errors', 'count', 'dropped iterations'),
  schedule_lag: known('harness', 'ms', 'iteration starts'),
  replay_lag: known('harness', 'ms', 'replayed events'),
  interrupted_iterations: known('errors', 'count', 'interrupted iterations'),
  iteration_errors: known('errors', 'count', 'failed iterations'),
  errors: known('errors', 'count', 'errors'),
  auth_failures: known('errors', 'count', 'failed logins'),
  'imap.login_failures': known('errors', 'count', 'IMAP logins'),
  'mta.refused_backlog': known('errors', 'count', 'messages refused for backlog'),
  'mta.auth_failures': known('errors', 'count', 'failed submission logins'),
  'mta.storm_blocked': known('errors', 'count', 'storm messages blocked'),
  // rates
  checks: known('rates', 'ratio', 'checks', false),
  submission_success: known('rates', 'ratio', 'submissions', false),
  login_success: known('rates', 'ratio', 'logins', false),
  live_mail_accepted: known('rates', 'ratio', 'live mail', false),
  migration_account_success: known('rates', 'ratio', 'account moves', false),
  'http.req_failed': known('rates', 'ratio', 'HTTP requests'),
  http_req_failed: known('rates', 'ratio', 'HTTP requests'),
  // latencies
  delivery_latency: known('latency', 'ms', 'mail'),
  'smtp.send_time': known('latency', 'ms', 'submissions'),
  'imap.login_time': known('latency', 'ms', 'IMAP logins'),
  'http.req_duration': known('latency', 'ms', 'HTTP requests'),
  iteration_duration: known('latency', 'ms', 'iterations'),
  lockout_user_login_time: known('latency', 'ms', 'user logins'),
  lockout_event_lag: known('latency', 'ms', 'lockout events'),
  migration_account_real_ms: known('latency', 'ms', 'account moves'),
  unlock_wait: known('latency', 'ms', 'unlocks'),
  // queue
  queue_depth: known('queue', 'count', 'delivery queue'),
  'mta.queue_depth': known('queue', 'count', 'delivery queue'),
  // lockouts
  locked_accounts: known('lockouts', 'count', 'locked accounts'),
  lockout_locked_now: known('lockouts', 'count', 'locked accounts'),
  helpdesk_backlog: known('lockouts', 'count', 'helpdesk backlog'),
  // migration
  migration_progress: known('migration', 'count', 'migrated accounts', false),
  migration_accounts_done: known('migration', 'count', 'migrated accounts', false),
  migration_projected_completion: known('migration', 's', 'migration'),
  migration_projected_ratio: known('migration', 'count', 'projected share of the window'),
  migration_movers_busy: known('migration', 'count', 'busy movers', false),
  // delivery accounting
  mail_delivered: known('delivery', 'count', 'delivered mail', false),
  mail_queued: known('delivery', 'count', 'queued mail'),
  mail_outstanding: known('delivery', 'count', 'outstanding mail'),
  mail_lost: known('delivery', 'count', 'lost mail'),
  mail_duplicated: known('delivery', 'count', 'duplicated mail'),
  mail_bounced: known('delivery', 'count', 'bounced mail'),
  mail_unexpected: known('delivery', 'count', 'unexpected mail'),
  mail_delivered_after_failure: known('delivery', 'count', 'mail delivered after its send failed'),
};

/** The registry entry, or a guess from the kind and the name for metrics nobody registered. */
export function describeMetric(name: string, kind?: MetricKind): KnownMetric & { known: boolean } {
  const entry = REGISTRY[name];
  if (entry) return { ...entry, known: true };
  const failureWord = /fail|error|reject|lost|drop|bounce|timeout|corrupt/i.test(name);
  const unit: Unit = kind === 'rate' ? 'ratio' : unitFromName(name) ?? (kind === 'trend' || /latency|time|duration|wait/i.test(name) ? 'ms' : 'count');
  return { group: 'other', unit, noun: name.replaceAll(/[._]/g, ' '), higherIsWorse: kind === 'rate' ? failureWord : true, known: false };
}

/** A unit a scenario wrote into the name (`failover_seconds`, `lead_days`) beats a guess from the kind. */
function unitFromName(name: string): Unit | undefined {
  if (/_(seconds|secs|s)$/i.test(name)) return 's';
  if (/_ms$/i.test(name)) return 'ms';
  if (/_(minutes|hours|days|weeks|pct|percent|ratio|bytes|kb|mb|count|total)$/i.test(name)) return 'count';
  return undefined;
}
