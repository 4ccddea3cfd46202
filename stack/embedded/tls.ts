// TLS for the embedded stack (--config tls: starttls|implicit): a CA and server certificate
// made at start, the CA written to <out>/logs/embedded-ca.pem for the user to inspect, and
// every SMTP, IMAP and ActiveSync endpoint carrying that CA so the run's clients verify it.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { StackError, errorMessage } from '../../engine/errors.ts';
import type { Endpoints, TlsMode, TlsSettings } from '../../engine/endpoints.ts';
import { generateTlsCertificate } from '../../fakes/tls/certificate.ts';
import type { FakeTlsOptions } from '../../fakes/tls/options.ts';

export const EMBEDDED_CA_FILE = 'embedded-ca.pem';

export interface EmbeddedTls {
  fake: FakeTlsOptions;
  ca: string;
  caFile: string;
  /** For the stack description: which endpoints speak TLS and where the CA is. */
  note: string;
}

/** Undefined for mode "none" (today's cleartext stack). */
export async function prepareTls(mode: TlsMode, logDir: string): Promise<EmbeddedTls | undefined> {
  if (mode === 'none') return undefined;
  const certificate = await generateTlsCertificate();
  const caFile = path.join(logDir, EMBEDDED_CA_FILE);
  try {
    await mkdir(logDir, { recursive: true });
    await writeFile(caFile, certificate.ca);
  } catch (error) {
    throw new StackError(`could not write the embedded stack's CA certificate to ${caFile}: ${errorMessage(error)}`);
  }
  const smtpImap = mode === 'starttls' ? 'STARTTLS required on smtp, submission and imap' : 'implicit TLS on smtp, submission and imap';
  return {
    fake: { mode, cert: certificate.cert, key: certificate.key },
    ca: certificate.ca,
    caFile,
    note: `TLS: ${smtpImap}, https on activesync; certificates verified against the CA generated at start (${caFile})`,
  };
}

/** The endpoints with TLS settings on every SMTP, IMAP and ActiveSync endpoint (the sink stays cleartext). */
export function tlsOfEndpoints(endpoints: Endpoints, tls: EmbeddedTls | undefined): Endpoints {
  if (!tls) return endpoints;
  const settings: TlsSettings = { mode: tls.fake.mode, ca: tls.ca };
  const names = ['smtp', 'submission', 'imap', 'activesync', ...Object.keys(endpoints.extra)].filter((name) => !name.startsWith('sink'));
  return {
    ...endpoints,
    activesync: endpoints.activesync.replace(/^http:/, 'https:'),
    // https has no STARTTLS: ActiveSync is TLS from the first byte either way.
    tls: Object.fromEntries(names.map((name) => [name, name === 'activesync' ? { ...settings, mode: 'implicit' } : settings])),
  };
}
