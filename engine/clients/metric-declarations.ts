// The metrics the protocol clients create, said once for both SMTP clients and the others.
import type { DeclarationTable } from '../metrics/declare.ts';

export const SMTP_CLIENT_METRICS: DeclarationTable = {
  'smtp.send_time': { kind: 'trend', unit: 'ms', label: 'submission time' },
  'smtp.codes': { kind: 'counter', unit: 'count', label: 'SMTP replies' },
  'smtp.accepted': { kind: 'counter', unit: 'count', label: 'accepted submissions' },
  'smtp.rejected': { kind: 'counter', unit: 'count', label: 'rejected submissions' },
  'smtp.success': { kind: 'rate', unit: 'ratio', label: 'successful submissions' },
};

export const IMAP_CLIENT_METRICS: DeclarationTable = {
  'imap.login_time': { kind: 'trend', unit: 'ms', label: 'IMAP login time' },
  'imap.login_failures': { kind: 'counter', unit: 'count', label: 'failed IMAP logins' },
};

export const HTTP_CLIENT_METRICS: DeclarationTable = {
  'http.req_duration': { kind: 'trend', unit: 'ms', label: 'HTTP request time' },
  'http.codes': { kind: 'counter', unit: 'count', label: 'HTTP replies' },
  'http.req_failed': { kind: 'rate', unit: 'ratio', label: 'failed HTTP requests' },
};
