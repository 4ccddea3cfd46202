// The IMAP connector flows use: imapflow, logged in and timed. A failed login is counted
// (imap.login_failures, tagged with the server's reason) and rethrown; the socket is closed.
// The endpoint's TLS settings decide implicit TLS, required STARTTLS or cleartext.
import { monotonicNow } from './monotonic-now.ts';
import { ImapFlow } from 'imapflow';
import { systemClock, type Clock } from '../clock.ts';
import type { MetricsSink } from '../metrics/types.ts';
import type { Endpoints } from '../endpoints.ts';
import { resolveEndpoint } from './resolve-endpoint.ts';
import { tlsConnectOptions, tlsOf, trustFailureMessage } from './tls.ts';
import type { ImapConnector } from './types.ts';
import { declareAll } from '../metrics/declare.ts';
import { IMAP_CLIENT_METRICS } from './metric-declarations.ts';

export interface ImapConnectorOptions {
  endpoints: Endpoints;
  metrics: MetricsSink;
  clock?: Clock;
  /** Connection and greeting timeout, ms (default 10 s). */
  timeoutMs?: number;
}

export function createImapConnector(options: ImapConnectorOptions): ImapConnector {
  const clock = options.clock ?? systemClock;
  declareAll(options.metrics, IMAP_CLIENT_METRICS);
  const now = monotonicNow(clock);
  return {
    async connect(auth, endpoint = 'imap') {
      const { host, port } = resolveEndpoint(options.endpoints, endpoint);
      const timeout = options.timeoutMs ?? 10_000;
      const tls = tlsOf(options.endpoints, endpoint);
      const client = new ImapFlow({
        host,
        port,
        // starttls: upgrade, and fail rather than log in in cleartext; none: never upgrade.
        secure: tls.mode === 'implicit',
        doSTARTTLS: tls.mode === 'starttls',
        ...(tls.mode !== 'none' && { tls: tlsConnectOptions(tls) }),
        auth,
        logger: false,
        disableAutoIdle: true,
        connectionTimeout: timeout,
        greetingTimeout: timeout,
      });
      client.on('error', () => {}); // socket errors surface through the failing call instead
      const started = now();
      try {
        await client.connect();
        options.metrics.trend('imap.login_time', now() - started, { endpoint });
        return client;
      } catch (error) {
        const failure = error as { authenticationFailed?: boolean; serverResponseCode?: string; code?: string; message?: string };
        const untrusted = trustFailureMessage(endpoint, `${host}:${port}`, error);
        const reason = failure.authenticationFailed ? (failure.serverResponseCode ?? 'auth') : untrusted ? 'tls-untrusted' : (failure.code ?? 'connect');
        options.metrics.count('imap.login_failures', 1, { endpoint, reason: reason.toLowerCase() });
        client.close();
        if (untrusted && error instanceof Error) error.message = untrusted;
        throw error;
      }
    },
  };
}
