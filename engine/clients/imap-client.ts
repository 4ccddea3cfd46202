// The IMAP connector flows use: imapflow, logged in and timed. A failed login is counted
// (imap.login_failures, tagged with the server's reason) and rethrown; the socket is closed.
// The endpoint's TLS settings decide implicit TLS, required STARTTLS or cleartext.
// The stack's ClientAuth decides how the account logs in: LOGIN or AUTHENTICATE PLAIN for a
// password, AUTHENTICATE XOAUTH2 for a token; a refused token is read again and tried once more.
import { countHarnessResourceError } from './harness-resource-errors.ts';
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
import type { ClientAuth, Credential } from './auth/types.ts';
import { errorMessage } from '../errors.ts';
import { scrub } from '../secrets.ts';

export interface ImapConnectorOptions {
  endpoints: Endpoints;
  metrics: MetricsSink;
  clock?: Clock;
  /** Connection and greeting timeout, ms (default 10 s). */
  timeoutMs?: number;
  /** How accounts log in (the stack's); default: the password, the mechanism imapflow picks. */
  auth?: ClientAuth;
}

type LoginFailure = Error & { authenticationFailed?: boolean; serverResponseCode?: string; code?: string };

/** imapflow's auth option for a credential: a forced mechanism, or the access token. */
function imapflowAuth(c: Credential): { user: string; pass?: string; accessToken?: string; loginMethod?: string } {
  if (c.type === 'oauth2') return { user: c.user, accessToken: c.accessToken };
  return { user: c.user, pass: c.pass, ...(c.method && { loginMethod: c.method === 'PLAIN' ? 'AUTH=PLAIN' : 'LOGIN' }) };
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
      const login = async (credential: Credential): Promise<ImapFlow> => {
        const client = new ImapFlow({
          host,
          port,
          // starttls: upgrade, and fail rather than log in in cleartext; none: never upgrade.
          secure: tls.mode === 'implicit',
          doSTARTTLS: tls.mode === 'starttls',
          ...(tls.mode !== 'none' && { tls: tlsConnectOptions(tls) }),
          auth: imapflowAuth(credential),
          logger: false,
          disableAutoIdle: true,
          connectionTimeout: timeout,
          greetingTimeout: timeout,
        });
        client.on('error', () => {}); // socket errors surface through the failing call instead
        try {
          await client.connect();
          return client;
        } catch (error) {
          client.close();
          throw error;
        }
      };
      const started = now();
      let credential: Credential | undefined;
      try {
        credential = options.auth ? await options.auth.credential(auth.user, auth.pass) : { type: 'password', ...auth };
        let client: ImapFlow;
        try {
          client = await login(credential);
        } catch (error) {
          const renewed = (error as LoginFailure).authenticationFailed && options.auth ? await options.auth.renew(credential) : undefined;
          if (!renewed) throw error;
          countFailure(error);
          credential = renewed;
          client = await login(credential);
        }
        options.metrics.trend('imap.login_time', now() - started, { endpoint });
        return client;
      } catch (error) {
        countFailure(error);
        const untrusted = trustFailureMessage(endpoint, `${host}:${port}`, error);
        if (untrusted && error instanceof Error) error.message = untrusted;
        // A token never reaches a message: whatever the server or a token command said is scrubbed.
        else if (options.auth && error instanceof Error) error.message = scrub(errorMessage(error), options.auth.secrets());
        throw error;
      }

      function countFailure(error: unknown): void {
        const failure = error as LoginFailure;
        countHarnessResourceError(options.metrics, `${failure.code ?? ''} ${errorMessage(error)}`);
        const untrusted = trustFailureMessage(endpoint, `${host}:${port}`, error);
        const reason = failure.authenticationFailed ? (failure.serverResponseCode ?? 'auth') : credential === undefined ? 'token' : untrusted ? 'tls-untrusted' : (failure.code ?? 'connect');
        options.metrics.count('imap.login_failures', 1, { endpoint, reason: reason.toLowerCase(), ...(credential?.type === 'oauth2' && { mechanism: 'XOAUTH2' }) });
      }
    },
  };
}
