// TLS shared by the stacks mailstorm starts itself (embedded, docker): the `tls` key of their
// --config, a CA and server certificate made at start with the CA written into the run's logs
// for the user to inspect, and the run's endpoints carrying that CA so every client verifies
// the certificates as it would a real platform's.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError, StackError, errorMessage } from '../../engine/errors.ts';
import type { Endpoints, TlsMode, TlsSettings } from '../../engine/endpoints.ts';
import { generateTlsCertificate } from '../../fakes/tls/certificate.ts';

export const TLS_MODES: readonly TlsMode[] = ['starttls', 'implicit', 'none'];

/** The config's `tls` (default none), or an InputError naming the key and the allowed modes. */
export function tlsModeOf(c: Record<string, unknown>, where: string): TlsMode {
  const tls = c['tls'] ?? 'none';
  if (typeof tls !== 'string' || !(TLS_MODES as readonly string[]).includes(tls)) {
    throw new InputError(`${where}: tls must be one of ${TLS_MODES.join(', ')}, got ${JSON.stringify(tls)}`);
  }
  return tls as TlsMode;
}

export interface StackCertificate {
  /** The server's certificate and key (PEM), signed by `ca`. */
  cert: string;
  key: string;
  ca: string;
  /** Where the CA was written (<logDir>/<file>). */
  caFile: string;
}

/** A fresh CA and server certificate (names 127.0.0.1, ::1, localhost), the CA written to <logDir>/<file>. */
export async function stackCertificate(logDir: string, file: string, what: string): Promise<StackCertificate> {
  const certificate = await generateTlsCertificate(`mailstorm ${what}`);
  const caFile = path.join(logDir, file);
  try {
    await mkdir(logDir, { recursive: true });
    await writeFile(caFile, certificate.ca);
  } catch (error) {
    throw new StackError(`could not write the ${what}'s CA certificate to ${caFile}: ${errorMessage(error)}`);
  }
  return { ...certificate, caFile };
}

/**
 * The endpoints with TLS settings trusting `ca` on every SMTP, IMAP and ActiveSync endpoint
 * (sink endpoints stay cleartext); `modeOf` gives each endpoint's mode. ActiveSync becomes
 * https, TLS from the first byte (https has no STARTTLS).
 */
export function endpointsWithTls(endpoints: Endpoints, ca: string, modeOf: (name: string) => TlsMode): Endpoints {
  const names = ['smtp', 'submission', 'imap', 'activesync', ...Object.keys(endpoints.extra)].filter((name) => !name.startsWith('sink'));
  const settings = (mode: TlsMode): TlsSettings => ({ mode, ca });
  return {
    ...endpoints,
    activesync: endpoints.activesync.replace(/^http:/, 'https:'),
    tls: Object.fromEntries(names.map((name) => [name, settings(name === 'activesync' ? 'implicit' : modeOf(name))])),
  };
}
