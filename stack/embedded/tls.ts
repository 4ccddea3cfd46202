// TLS for the embedded stack (--config tls: starttls|implicit): a CA and server certificate
// made at start, the CA written to <out>/logs/embedded-ca.pem for the user to inspect, and
// every SMTP, IMAP and ActiveSync endpoint carrying that CA so the run's clients verify it.
import type { Endpoints, TlsMode } from '../../engine/endpoints.ts';
import type { FakeTlsOptions } from '../../fakes/tls/options.ts';
import { endpointsWithTls, stackCertificate } from '../common/tls.ts';

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
  const certificate = await stackCertificate(logDir, EMBEDDED_CA_FILE, 'embedded stack');
  const smtpImap = mode === 'starttls' ? 'STARTTLS required on smtp, submission and imap' : 'implicit TLS on smtp, submission and imap';
  return {
    fake: { mode, cert: certificate.cert, key: certificate.key },
    ca: certificate.ca,
    caFile: certificate.caFile,
    note: `TLS: ${smtpImap}, https on activesync; certificates verified against the CA generated at start (${certificate.caFile})`,
  };
}

/** The endpoints with TLS settings on every SMTP, IMAP and ActiveSync endpoint (the sink stays cleartext). */
export function tlsOfEndpoints(endpoints: Endpoints, tls: EmbeddedTls | undefined): Endpoints {
  if (!tls) return endpoints;
  return endpointsWithTls(endpoints, tls.ca, () => tls.fake.mode);
}
