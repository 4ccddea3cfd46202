// Where a run's clients connect: the listen side of the proxy in front of every endpoint.
export interface HostPort {
  host: string;
  port: number;
}

export interface ProxyInfo {
  /** Toxiproxy proxy name, e.g. "smtp", "submission", "imap", "activesync", "smtp-standby". */
  name: string;
  /** Where clients connect (what Endpoints point at). */
  listen: HostPort;
  /** The real service behind it. */
  upstream: HostPort;
}

/**
 * How a client speaks TLS to one endpoint: STARTTLS on a cleartext port (25/587/143), TLS
 * from the first byte (465/993, https), or not at all. The certificate is always verified,
 * against `ca` when given (else the system's CAs), unless `insecure` was written explicitly.
 */
export type TlsMode = 'starttls' | 'implicit' | 'none';

export interface TlsSettings {
  mode: TlsMode;
  /** CA certificate(s), PEM text, trusted instead of the system's. */
  ca?: string;
  /** Name the certificate must carry (and SNI), when it differs from the host connected to. */
  servername?: string;
  /** Skip certificate verification: only ever set when a config says `insecure: true`. */
  insecure?: boolean;
}

/** Where a run's clients connect. Every address is the listen side of a proxy. */
export interface Endpoints {
  /** Inbound relay (MX) port. */
  smtp: HostPort;
  /** Authenticated submission port. */
  submission: HostPort;
  imap: HostPort;
  /** Base URL of the ActiveSync-style endpoint, e.g. http://127.0.0.1:4567 */
  activesync: string;
  /** Toxiproxy API base URL, e.g. http://127.0.0.1:8474 */
  toxiproxy: string;
  proxies: Record<string, ProxyInfo>;
  /** Further named endpoints a spec asked for: "submission-standby", "imap-source", "imap-target" ... */
  extra: Record<string, HostPort>;
  /**
   * TLS per endpoint name ("smtp", "submission", "imap", "activesync", a key of `extra`);
   * an endpoint not listed (or no map at all) is cleartext.
   */
  tls?: Record<string, TlsSettings>;
}
