// TLS for the protocol clients: an endpoint's settings (engine/endpoints.ts) as node's
// tls.connect options, and a handshake refused for an untrusted certificate turned into a
// message that says so and names the config keys that fix it (`ca`, `insecure`).
import type { ConnectionOptions } from 'node:tls';
import type { Endpoints, TlsSettings } from '../endpoints.ts';

const CLEARTEXT: TlsSettings = Object.freeze({ mode: 'none' });

/** The endpoint's TLS settings; cleartext when the stack states none. */
export function tlsOf(endpoints: Endpoints, name: string): TlsSettings {
  return endpoints.tls?.[name] ?? CLEARTEXT;
}

/** An https endpoint's origin with its TLS settings, for the HTTP client. */
export interface HttpsTarget {
  origin: string;
  /** Endpoint name for messages ("activesync"). */
  endpoint: string;
  settings: TlsSettings;
}

/** The stack's https endpoints that carry TLS settings (today: ActiveSync). */
export function httpsTargets(endpoints: Endpoints): HttpsTarget[] {
  const settings = endpoints.tls?.['activesync'];
  // Read only when settings exist: a remote stack that names no ActiveSync throws on reading it.
  if (!settings) return [];
  return [{ origin: new URL(endpoints.activesync).origin, endpoint: 'activesync', settings }];
}

/** What node's TLS needs to verify this endpoint's certificate (or, when insecure, not to). */
export function tlsConnectOptions(settings: TlsSettings): Pick<ConnectionOptions, 'ca' | 'servername' | 'rejectUnauthorized'> {
  return {
    ...(settings.ca !== undefined && { ca: settings.ca }),
    ...(settings.servername !== undefined && { servername: settings.servername }),
    rejectUnauthorized: settings.insecure !== true,
  };
}

// OpenSSL's verification results and node's own name check: the peer's certificate was not trusted.
const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_SIGNATURE_FAILURE', 'CERT_UNTRUSTED',
  'CERT_REJECTED', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'INVALID_CA', 'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** The verification failure inside `error` (its code and text), if the certificate was not trusted. */
export function untrustedCertificate(error: unknown): { code: string; reason: string } | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    // nodemailer replaces the code with its own (ESOCKET) and keeps node's as originalCode.
    for (const code of [(e as { code?: unknown }).code, (e as { originalCode?: unknown }).originalCode]) {
      if (typeof code === 'string' && UNTRUSTED.has(code)) return { code, reason: e.message };
    }
  }
  return undefined;
}

/** "the TLS certificate of submission (127.0.0.1:465) was not trusted: ..." or undefined for other failures. */
export function trustFailureMessage(endpoint: string, target: string, error: unknown): string | undefined {
  const failure = untrustedCertificate(error);
  if (!failure) return undefined;
  return `the TLS certificate of ${endpoint} (${target}) was not trusted: ${failure.reason} (${failure.code}); ` +
    'give the CA that signed it as the endpoint\'s `ca`, or set `insecure: true` to skip verification';
}
