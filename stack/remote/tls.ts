// TLS of a remote stack's endpoints from its config: the mode per endpoint, the CA file read
// (a missing or unreadable one, or one holding no certificate, is an InputError naming the key
// and the path), and notes for the stack's description, `insecure: true` always among them.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../engine/errors.ts';
import type { TlsSettings } from '../../engine/endpoints.ts';
import { httpEndpointOf, type RemoteConfig, type RemoteEndpoint, type RemoteHttpEndpoint } from './config.ts';

export interface RemoteTls {
  /** By endpoint name: smtp, submission, imap, activesync, and the keys of extra. */
  tls: Record<string, TlsSettings>;
  /** What the report states: each endpoint's TLS, and which skip verification. */
  notes: string[];
}

type Verification = Pick<RemoteEndpoint, 'ca' | 'servername' | 'insecure'>;

function readCa(key: string, file: string, where: string): string {
  const full = path.resolve(file);
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (error) {
    throw new InputError(`${where}: ${key}: cannot read the CA file ${full} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new InputError(`${where}: ${key}: ${full} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  return text;
}

export function remoteTls(c: RemoteConfig, where = '--config'): RemoteTls {
  const tls: Record<string, TlsSettings> = {};
  const described: string[] = [];
  const insecure: string[] = [];
  const add = (name: string, key: string, mode: TlsSettings['mode'], v: Verification) => {
    if (mode === 'none') return;
    const ca = v.ca === undefined ? undefined : readCa(`${key}.ca`, v.ca, where);
    tls[name] = { mode, ...(ca !== undefined && { ca }), ...(v.servername !== undefined && { servername: v.servername }), ...(v.insecure && { insecure: true }) };
    const against = v.insecure ? 'certificate NOT verified' : ca !== undefined ? `verified against ${path.resolve(v.ca!)}` : 'verified against the system CAs';
    described.push(`${name} ${mode === 'implicit' && name === 'activesync' ? 'https' : mode} (${against}${v.servername !== undefined ? `, name ${v.servername}` : ''})`);
    if (v.insecure) insecure.push(name);
  };
  const endpoint = (name: string, key: string, e: RemoteEndpoint | undefined) => e && add(name, key, e.tls ?? 'none', e);
  endpoint('smtp', 'smtp', c.smtp);
  endpoint('submission', 'submission', c.submission);
  endpoint('imap', 'imap', c.imap);
  for (const [name, e] of Object.entries(c.extra ?? {})) endpoint(name, `extra.${name}`, e);
  if (c.activesync !== undefined) {
    const http: RemoteHttpEndpoint = httpEndpointOf(c.activesync);
    if (new URL(http.url).protocol === 'https:') add('activesync', 'activesync', 'implicit', http);
  }
  const notes = [
    `TLS: ${described.length ? described.join('; ') : 'none (every endpoint is cleartext)'}`,
    ...(insecure.length
      ? [`insecure: true on ${insecure.join(', ')}: TLS certificates are not verified there, so the run could not tell the platform from an impostor`]
      : []),
  ];
  return { tls, notes };
}
