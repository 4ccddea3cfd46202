// The metrics the protocol clients create, said once for both SMTP clients and the others.
import type { DeclarationTable } from '../metrics/declare.ts';

// Every client counts its connections that failed for want of this machine's own resources.
const HARNESS_RESOURCE_ERRORS: DeclarationTable = {
  'harness.resource_errors': { kind: 'counter', unit: 'count', label: 'connections that failed because this machine ran out of file descriptors, ports or buffers', topic: 'errors' },
};

export const SMTP_CLIENT_METRICS: DeclarationTable = {
  'smtp.send_time': { kind: 'trend', unit: 'ms', label: 'submissions', topic: 'latency' },
  'smtp.codes': { kind: 'counter', unit: 'count', label: 'SMTP replies', worse: 'lower' },
  'smtp.accepted': { kind: 'counter', unit: 'count', label: 'accepted submissions', topic: 'throughput', worse: 'lower' },
  'smtp.rejected': { kind: 'counter', unit: 'count', label: 'rejected submissions', topic: 'errors' },
  'smtp.success': { kind: 'rate', unit: 'ratio', label: 'submissions', worse: 'lower' },
  'smtp.auth_failures': { kind: 'counter', unit: 'count', label: 'refused SMTP logins', topic: 'errors' },
  ...HARNESS_RESOURCE_ERRORS,
};

export const IMAP_CLIENT_METRICS: DeclarationTable = {
  'imap.login_time': { kind: 'trend', unit: 'ms', label: 'IMAP logins', topic: 'latency' },
  'imap.login_failures': { kind: 'counter', unit: 'count', label: 'failed IMAP logins', topic: 'errors' },
  ...HARNESS_RESOURCE_ERRORS,
};

export const HTTP_CLIENT_METRICS: DeclarationTable = {
  'http.req_duration': { kind: 'trend', unit: 'ms', label: 'HTTP requests', topic: 'latency' },
  'http.codes': { kind: 'counter', unit: 'count', label: 'HTTP replies', worse: 'lower' },
  'http.req_failed': { kind: 'rate', unit: 'ratio', label: 'HTTP requests' },
  'http.auth_failures': { kind: 'counter', unit: 'count', label: 'refused HTTP logins (401)', topic: 'errors' },
  ...HARNESS_RESOURCE_ERRORS,
};
