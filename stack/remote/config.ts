// --config for a remote stack: every endpoint the run may load is named explicitly, and
// an allow-list says which hosts and address blocks it may touch at all; an endpoint not
// named is never contacted, and one outside the list stops the run before anything is sent.
import { z } from 'zod';
import { InputError } from '../../engine/errors.ts';
import { allowRuleProblem } from './allow-list.ts';
import { remoteAuthSchema } from './auth.ts';
import { parseDuration } from '../../engine/duration.ts';

const hostPort = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
}).strict();

/**
 * What a run may send to one endpoint unless the config file raises it: messages plus
 * requests per second at the plan's peak, and connections open at once. Conservative on
 * purpose: the remote is someone else's platform.
 */
export const DEFAULT_CAPS = { rate: 10, connections: 10 } as const;

export type EndpointCap = { rate: number; connections: number };

const cap = z.object({
  /** messages plus requests per second, at the plan's peak */
  rate: z.number().positive().optional(),
  /** connections open at once */
  connections: z.number().int().positive().optional(),
}).strict();

/** How to verify an endpoint's certificate: a CA file, the name it must carry, or (said explicitly) not at all. */
const verification = {
  /** CA certificate file (PEM), relative paths from the folder mailstorm runs in */
  ca: z.string().min(1).optional(),
  servername: z.string().min(1).optional(),
  insecure: z.literal(true, { error: 'takes only true (leave it out to verify certificates)' }).optional(),
};

/** An SMTP or IMAP endpoint: where, and whether it speaks STARTTLS (25/587/143), implicit TLS (465/993) or neither. */
const endpoint = hostPort.extend({
  tls: z.enum(['starttls', 'implicit', 'none']).optional(),
  ...verification,
}).strict();

/** ActiveSync: a URL, or a URL with how to verify its https certificate. */
const httpEndpoint = z.union([z.url(), z.object({ url: z.url(), ...verification }).strict()]);

const duration = z.union([z.string().min(1), z.number().nonnegative()]);

/** How the platform's deliveries are counted: read from the recipients' mailboxes, or routed to mailstorm's sink. */
const reconcileSchema = z.object({
  imap: z.object({
    /** longest wait after the load for every expected message to show up (default: the scenario's drain timeout) */
    timeout: duration.optional(),
    /** pause between two reads of a mailbox that is still waited for (default 5s) */
    interval: duration.optional(),
    /** folders searched in each mailbox (default [INBOX]) */
    folders: z.array(z.string().min(1)).min(1).optional(),
    /** remove the test messages found, once counted (default false: mailboxes are only read) */
    delete: z.boolean().optional(),
    /** mailboxes read at once (default 4) */
    concurrency: z.number().int().min(1).max(64).optional(),
  }).strict().optional(),
  sink: z.object({
    /** where mailstorm's sink listens; the platform routes the test domain here */
    listen: hostPort,
  }).strict().optional(),
}).strict();

export const remoteConfigSchema = z.object({
  /** hostnames, addresses and CIDR blocks the run may connect to; required */
  allow: z.array(z.string().min(1)).optional(),
  /** inbound relay (MX) */
  smtp: endpoint.optional(),
  submission: endpoint.optional(),
  imap: endpoint.optional(),
  activesync: httpEndpoint.optional(),
  /** Toxiproxy API in front of the named endpoints; without it chaos timelines cannot run */
  toxiproxy: z.url().optional(),
  proxies: z.record(z.string(), z.object({ listen: hostPort, upstream: hostPort }).strict()).optional(),
  extra: z.record(z.string(), endpoint).optional(),
  /** test accounts (CSV or YAML, passwords as env:NAME or file:PATH): the scenarios' users */
  population: z.string().min(1).optional(),
  /** how accounts log in: password (authMethod PLAIN|LOGIN) or oauth2 (token: file:PATH | command:...) */
  auth: remoteAuthSchema.optional(),
  /** a file whose appearance stops the run's load within a second (also: SIGUSR2 to mailstorm) */
  killSwitch: z.string().min(1).optional(),
  /** per endpoint name (smtp, submission, imap, activesync, a key of extra): raise the default caps */
  caps: z.record(z.string(), cap).optional(),
  /** counting deliveries without owning the MX: imap (read the mailboxes) or sink (routed to mailstorm) */
  reconcile: reconcileSchema.optional(),
  /** free text for the report: which platform and version this is */
  description: z.string().optional(),
}).strict();

export type RemoteConfig = z.output<typeof remoteConfigSchema>;
export type RemoteEndpoint = z.output<typeof endpoint>;
/** The ActiveSync endpoint in its long form. */
export type RemoteHttpEndpoint = Exclude<z.output<typeof httpEndpoint>, string>;

/** The ActiveSync endpoint in its long form, whichever form the config used. */
export function httpEndpointOf(value: string | RemoteHttpEndpoint): RemoteHttpEndpoint {
  return typeof value === 'string' ? { url: value } : value;
}

export function parseRemoteConfig(value: unknown, where = '--config'): RemoteConfig {
  const result = remoteConfigSchema.safeParse(value);
  if (!result.success) {
    const lines = result.error.issues.map((i) => {
      const key = i.path.join('.') || '(top level)';
      const known = i.code === 'unrecognized_keys' ? ` (allowed: ${Object.keys(remoteConfigSchema.shape).join(', ')})` : '';
      return `${where}: ${key}: ${i.message}${known}`;
    });
    throw new InputError(lines.join('\n'));
  }
  const c = result.data;
  if (!c.smtp && !c.submission && !c.imap && !c.activesync && !c.extra) {
    throw new InputError(`${where}: names no endpoint; give at least one of smtp, submission, imap, activesync, extra`);
  }
  if (!c.allow?.length) {
    throw new InputError(`${where}: allow: a remote stack needs an allow-list of the hosts and address blocks the run may load, e.g. allow: [mx.test.example, 192.0.2.0/24]`);
  }
  const bad = c.allow.map((rule) => [rule, allowRuleProblem(rule)] as const).filter(([, problem]) => problem);
  if (bad.length) throw new InputError(bad.map(([rule, problem]) => `${where}: allow: ${rule}: ${problem}`).join('\n'));
  const tlsProblems = [
    ...(['smtp', 'submission', 'imap'] as const).flatMap((name) => verificationProblems(name, c[name])),
    ...Object.entries(c.extra ?? {}).flatMap(([name, e]) => verificationProblems(`extra.${name}`, e)),
    ...(c.activesync !== undefined ? httpProblems(httpEndpointOf(c.activesync)) : []),
  ];
  if (tlsProblems.length) throw new InputError(tlsProblems.map((p) => `${where}: ${p}`).join('\n'));
  checkReconcile(c, where);
  const named = endpointNames(c);
  const unknown = Object.keys(c.caps ?? {}).filter((k) => !named.includes(k));
  if (unknown.length) throw new InputError(unknown.map((k) => `${where}: caps.${k}: no endpoint of that name in this config (endpoints: ${named.join(', ')})`).join('\n'));
  return c;
}

/** The endpoint names a config gives the run, as flows and caps name them. */
export function endpointNames(c: RemoteConfig): string[] {
  return [...(['smtp', 'submission', 'imap', 'activesync'] as const).filter((k) => c[k] !== undefined), ...Object.keys(c.extra ?? {})];
}

/** The cap of every endpoint: the config's caps over DEFAULT_CAPS. */
export function capOf(c: RemoteConfig, endpoint: string): EndpointCap {
  const own = c.caps?.[endpoint];
  return { rate: own?.rate ?? DEFAULT_CAPS.rate, connections: own?.connections ?? DEFAULT_CAPS.connections };
}

/** ca, servername and insecure verify a TLS connection: on a cleartext endpoint they would silently do nothing. */
function verificationProblems(name: string, e: RemoteEndpoint | undefined): string[] {
  if (!e || (e.tls ?? 'none') !== 'none') return [];
  return (['ca', 'servername', 'insecure'] as const).filter((key) => e[key] !== undefined)
    .map((key) => `${name}.${key}: given, but ${name} is cleartext; set ${name}.tls to starttls or implicit`);
}

function httpProblems(e: RemoteHttpEndpoint): string[] {
  if (new URL(e.url).protocol === 'https:') return [];
  return (['ca', 'servername', 'insecure'] as const).filter((key) => e[key] !== undefined)
    .map((key) => `activesync.${key}: given, but ${e.url} is not an https:// URL`);
}

export interface ImapReconcileSettings {
  /** undefined: the scenario's drain timeout */
  timeoutMs: number | undefined;
  intervalMs: number;
  folders: string[];
  delete: boolean;
  concurrency: number;
}

export const DEFAULT_RECONCILE_INTERVAL_MS = 5000;

/** reconcile.imap with its defaults applied (durations parsed; errors name the key). */
export function imapReconcileSettings(c: RemoteConfig, where = '--config'): ImapReconcileSettings | undefined {
  const r = c.reconcile?.imap;
  if (!r) return undefined;
  const intervalMs = r.interval === undefined ? DEFAULT_RECONCILE_INTERVAL_MS : parseDuration(r.interval, `${where}: reconcile.imap.interval`);
  if (intervalMs < 100) throw new InputError(`${where}: reconcile.imap.interval: at least 100ms, so the platform is not polled in a tight loop`);
  return {
    timeoutMs: r.timeout === undefined ? undefined : parseDuration(r.timeout, `${where}: reconcile.imap.timeout`),
    intervalMs,
    folders: r.folders ?? ['INBOX'],
    delete: r.delete ?? false,
    concurrency: r.concurrency ?? 4,
  };
}

function checkReconcile(c: RemoteConfig, where: string): void {
  const r = c.reconcile;
  if (!r) return;
  if (!r.imap === !r.sink) throw new InputError(`${where}: reconcile: give exactly one of imap (read the recipients' mailboxes) or sink (the platform routes a test domain to mailstorm's sink)`);
  if (r.imap) {
    if (!c.imap) throw new InputError(`${where}: reconcile.imap: needs the imap endpoint (imap: {host, port}) to read the mailboxes from`);
    if (c.population === undefined) throw new InputError(`${where}: reconcile.imap: needs a population file (population: accounts.csv) with each mailbox's password`);
    imapReconcileSettings(c, where);
  }
}
