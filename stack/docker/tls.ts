// TLS for the docker stack (--config tls: starttls|implicit): a CA and server certificate made
// at start (the CA written to <out>/logs/docker-ca.pem), copied into every mail container for
// Postfix and Dovecot, also served by mailstorm's ActiveSync endpoint (https), and carried by
// every endpoint the stack hands to scenarios so the clients verify the real servers' certificates.
import type { Endpoints, TlsMode, TlsSettings } from '../../engine/endpoints.ts';
import type { FakeTlsOptions } from '../../fakes/tls/options.ts';
import { endpointsWithTls, stackCertificate } from '../common/tls.ts';

export const DOCKER_CA_FILE = 'docker-ca.pem';
const CERT_PATH = '/etc/mailstorm/tls/cert.pem';
const KEY_PATH = '/etc/mailstorm/tls/key.pem';

export interface DockerTls {
  mode: Exclude<TlsMode, 'none'>;
  ca: string;
  caFile: string;
  /** Certificate and key for the containers (the entrypoint's TLS_CERT and TLS_KEY). */
  files: { content: string; target: string; mode?: number }[];
  env: Record<string, string>;
  /** For mailstorm's ActiveSync endpoint on the host. */
  fake: FakeTlsOptions;
  /** How mailstorm's own set-up clients (the mailbox seeder, on a store's published 143) speak TLS. */
  setup: TlsSettings;
  /** For the stack description: what speaks TLS on which port, and where the CA is. */
  note: string;
}

/** Undefined for mode "none" (the cleartext stack). */
export async function prepareDockerTls(mode: TlsMode, logDir: string): Promise<DockerTls | undefined> {
  if (mode === 'none') return undefined;
  const certificate = await stackCertificate(logDir, DOCKER_CA_FILE, 'docker stack');
  const ports = mode === 'starttls'
    ? 'Postfix requires STARTTLS on 25 and 587 (smtpd_tls_security_level=encrypt), Dovecot on 143 (ssl = required)'
    : 'implicit TLS on submission (Postfix 465, wrapper mode) and imap (Dovecot 993); smtp stays on 25 with STARTTLS required, as an MX has no implicit-TLS port';
  return {
    mode,
    ca: certificate.ca,
    caFile: certificate.caFile,
    files: [
      { content: certificate.cert, target: CERT_PATH },
      // read by Postfix and Dovecot as root before they drop privileges
      { content: certificate.key, target: KEY_PATH, mode: 0o600 },
    ],
    env: { TLS_MODE: mode, TLS_CERT: CERT_PATH, TLS_KEY: KEY_PATH },
    fake: { mode, cert: certificate.cert, key: certificate.key },
    setup: { mode: 'starttls', ca: certificate.ca },
    note: `TLS: ${ports}; https on activesync; certificates verified against the CA generated at start (${certificate.caFile})`,
  };
}

/** Each endpoint's TLS: the relay (smtp, smtp-standby) always STARTTLS; everything else as the mode says. */
export function dockerEndpointsTls(endpoints: Endpoints, tls: DockerTls | undefined): Endpoints {
  if (!tls) return endpoints;
  return endpointsWithTls(endpoints, tls.ca, (name) => (name === 'smtp' || name.startsWith('smtp-') ? 'starttls' : tls.mode));
}
