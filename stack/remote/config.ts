// --config for a remote stack: every endpoint the run may load is named explicitly, and
// an allow-list says which hosts and address blocks it may touch at all; an endpoint not
// named is never contacted, and one outside the list stops the run before anything is sent.
import { z } from 'zod';
import { InputError } from '../../engine/errors.ts';
import { allowRuleProblem } from './allow-list.ts';

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

export const remoteConfigSchema = z.object({
  /** hostnames, addresses and CIDR blocks the run may connect to; required */
  allow: z.array(z.string().min(1)).optional(),
  /** inbound relay (MX) */
  smtp: hostPort.optional(),
  submission: hostPort.optional(),
  imap: hostPort.optional(),
  activesync: z.url().optional(),
  /** Toxiproxy API in front of the named endpoints; without it chaos timelines cannot run */
  toxiproxy: z.url().optional(),
  proxies: z.record(z.string(), z.object({ listen: hostPort, upstream: hostPort }).strict()).optional(),
  extra: z.record(z.string(), hostPort).optional(),
  /** test accounts (CSV or YAML, passwords as env:NAME or file:PATH): the scenarios' users */
  population: z.string().min(1).optional(),
  /** a file whose appearance stops the run's load within a second (also: SIGUSR2 to mailstorm) */
  killSwitch: z.string().min(1).optional(),
  /** per endpoint name (smtp, submission, imap, activesync, a key of extra): raise the default caps */
  caps: z.record(z.string(), cap).optional(),
  /** free text for the report: which platform and version this is */
  description: z.string().optional(),
}).strict();

export type RemoteConfig = z.output<typeof remoteConfigSchema>;

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
