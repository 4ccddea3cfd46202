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
}
