// How a fake offers TLS: STARTTLS on its cleartext port (and then requires it before mail or
// a login, as a TLS-only platform does) or TLS from the first byte (implicit, 465/993/https).
export interface FakeTlsOptions {
  mode: 'starttls' | 'implicit';
  /** Server certificate and key, PEM. */
  cert: string;
  key: string;
}
