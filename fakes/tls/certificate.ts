// A throwaway certificate authority and a server certificate it signed, made when a fake
// starts with TLS: the certificate names 127.0.0.1, ::1 and localhost, so a client that is
// given the CA verifies the fakes exactly as it would a real platform (no "insecure").
import { randomUUID } from 'node:crypto';
import { generate } from 'selfsigned';

export interface FakeTlsCertificate {
  /** The CA certificate (PEM) a client must trust. */
  ca: string;
  /** The server's certificate (PEM), signed by the CA. */
  cert: string;
  /** The server's private key (PEM). */
  key: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Generates a CA and a server certificate for loopback, valid from yesterday for 30 days. */
export async function generateTlsCertificate(commonName = 'mailstorm embedded stack'): Promise<FakeTlsCertificate> {
  // A day of slack either side: a client whose clock is a little behind still accepts it.
  const notBeforeDate = new Date(Date.now() - DAY_MS);
  const notAfterDate = new Date(notBeforeDate.getTime() + 31 * DAY_MS);
  // EC keys: generated in milliseconds, where RSA 2048 costs a visible pause at every start.
  const common = { keyType: 'ec' as const, curve: 'P-256' as const, algorithm: 'sha256', notBeforeDate, notAfterDate };
  // A name of its own: two stacks' CAs never pass for each other, and a wrong CA reads as untrusted.
  const ca = await generate([{ name: 'commonName', value: `${commonName} CA ${randomUUID().slice(0, 8)}` }], {
    ...common,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const server = await generate([{ name: 'commonName', value: 'localhost' }], {
    ...common,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }] },
    ],
  });
  return { ca: ca.cert, cert: server.cert, key: server.private };
}
