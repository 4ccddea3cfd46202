// The SMTP client flows use: nodemailer with a bounded pool per endpoint + credentials,
// messages built from cached body templates, every send timed and its reply code counted.
// Every message is registered with the ledger before it is sent; an accepted one then registers
// its expected deliveries (lists expanded), a failed one is marked failed (its arrivals count as
// delivered after failure). A refused one is a result carrying the code, never a throw.
// Each endpoint's TLS settings (Endpoints.tls) decide implicit TLS, required STARTTLS or cleartext.
// The stack's ClientAuth says how an account logs in (a forced PLAIN or LOGIN, or XOAUTH2 with
// a token); a refused token is read again and the message tried once more under the same id.
import { countHarnessResourceError } from './harness-resource-errors.ts';
import { monotonicNow } from './monotonic-now.ts';
import { Readable } from 'node:stream';
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { Clock } from '../clock.ts';
import type { Ledger } from '../ledger/types.ts';
import type { MetricsSink } from '../metrics/types.ts';
import type { Endpoints } from '../endpoints.ts';
import { MessageBuilder } from './message-builder.ts';
import { resolveEndpoint } from './resolve-endpoint.ts';
import { tlsConnectOptions, tlsOf, trustFailureMessage } from './tls.ts';
import type { SendRequest, SendResult, SmtpClient } from './types.ts';
import { declareAll } from '../metrics/declare.ts';
import { SMTP_CLIENT_METRICS } from './metric-declarations.ts';
import type { ClientAuth, Credential } from './auth/types.ts';
import { errorMessage } from '../errors.ts';
import { scrub } from '../secrets.ts';

/** Connections the client keeps per endpoint and credentials (its nodemailer pool), unless poolSize says otherwise. */
export const SMTP_POOL_CONNECTIONS = 4;
/** Pools (endpoint + credentials) the client keeps open at once, unless maxPools says otherwise. */
export const SMTP_MAX_POOLS = 64;

export interface SmtpClientOptions {
  endpoints: Endpoints;
  ledger: Ledger;
  metrics: MetricsSink;
  clock: Clock;
  /** List expansion for the ledger (address -> members, or undefined when not a list). */
  expand?: (address: string) => readonly string[] | undefined;
  /** Connections per pool (default SMTP_POOL_CONNECTIONS). */
  poolSize?: number;
  /** Pools kept open at once; the least recently used is closed beyond this (default 64). */
  maxPools?: number;
  /** Flow tag when a request names none. */
  flow?: string;
  /** Prefix of ledger ids, unique per run (default derived from the clock). */
  idPrefix?: string;
  /** How accounts log in (the stack's); default: the request's password, the mechanism nodemailer picks. */
  auth?: ClientAuth;
}

interface SmtpFailure {
  responseCode?: number;
  response?: string;
  message?: string;
  code?: string;
  rejected?: string[];
}

// Distinguishes clients created in the same millisecond, so their ledger ids never collide.
let clientsCreated = 0;

export function createSmtpClient(options: SmtpClientOptions): SmtpClient {
  declareAll(options.metrics, SMTP_CLIENT_METRICS);
  const pools = new Map<string, Transporter>();
  const builder = new MessageBuilder();
  const now = monotonicNow(options.clock);
  const prefix = options.idPrefix ?? `ms${Math.floor(options.clock.now()).toString(36)}.${(++clientsCreated).toString(36)}`;
  let sequence = 0;

  const keyOf = (endpoint: string, host: string, port: number, auth: Credential | undefined) =>
    `${endpoint}|${host}:${port}|${auth?.user ?? ''}|${auth?.type === 'oauth2' ? `oauth2|${auth.accessToken}` : `${auth?.method ?? ''}|${auth?.pass ?? ''}`}`;

  function pool(endpoint: string, host: string, port: number, auth: Credential | undefined): Transporter {
    const key = keyOf(endpoint, host, port, auth);
    let transport = pools.get(key);
    if (transport) {
      pools.delete(key); // re-inserted below: Map order doubles as LRU order
    } else {
      const tls = tlsOf(options.endpoints, endpoint);
      transport = nodemailer.createTransport({
        host,
        port,
        // implicit: TLS from the first byte; starttls: refuse to go on in cleartext if the
        // server offers no STARTTLS; none: never upgrade, even when offered.
        secure: tls.mode === 'implicit',
        ...(tls.mode === 'none' ? { ignoreTLS: true } : { tls: tlsConnectOptions(tls) }),
        ...(tls.mode === 'starttls' && { requireTLS: true }),
        pool: true,
        maxConnections: options.poolSize ?? SMTP_POOL_CONNECTIONS,
        maxMessages: 10_000,
        ...(auth?.type === 'password' && { auth: { user: auth.user, pass: auth.pass }, ...(auth.method && { authMethod: auth.method }) }),
        ...(auth?.type === 'oauth2' && { auth: { type: 'OAuth2' as const, user: auth.user, accessToken: auth.accessToken } }),
      });
      if (pools.size >= (options.maxPools ?? SMTP_MAX_POOLS)) {
        const [oldestKey, oldest] = pools.entries().next().value as [string, Transporter];
        pools.delete(oldestKey);
        oldest.close();
      }
    }
    pools.set(key, transport);
    return transport;
  }

  async function send(request: SendRequest): Promise<SendResult> {
    const flow = request.flow ?? options.flow ?? 'default';
    const id = `${prefix}-${(++sequence).toString(36)}`;
    const endpoint = request.endpoint ?? (request.auth ? 'submission' : 'smtp');
    const { host, port } = resolveEndpoint(options.endpoints, endpoint);
    const started = options.clock.now();
    const timer = now();
    // Stamped when nodemailer has read the whole message, that is when it writes the final "."
    // and before the server's reply: an in-process stack delivers before the 250 comes back.
    let dataEndAt: number | undefined;
    const message = () => endStamped(builder.build(request, id, new Date(started)), () => { dataEndAt = options.clock.now(); });
    // Registered before the first byte: an arrival of a send that then fails is told apart.
    options.ledger.attempt({ id, flow });
    let credential: Credential | undefined;
    try {
      // Only a stack with its own ClientAuth costs an await here: the plain path stays as it was.
      credential = options.auth && request.auth ? await options.auth.credential(request.auth.user, request.auth.pass) : request.auth && { type: 'password', user: request.auth.user, pass: request.auth.pass };
      let info;
      try {
        info = await pool(endpoint, host, port, credential).sendMail({ envelope: { from: request.from, to: [...request.to] }, raw: message() });
      } catch (error) {
        // A refused token: read it again and, when it changed, try once more (nothing was sent yet).
        const renewed = isAuthFailure(error) && credential && options.auth ? await options.auth.renew(credential) : undefined;
        if (!renewed) throw error;
        authFailed(flow, credential!, error as SmtpFailure);
        pools.get(keyOf(endpoint, host, port, credential))?.close();
        pools.delete(keyOf(endpoint, host, port, credential));
        credential = renewed;
        info = await pool(endpoint, host, port, credential).sendMail({ envelope: { from: request.from, to: [...request.to] }, raw: message() });
      }
      const accepted = (info.accepted as (string | { address: string })[]).map(address);
      const rejected = (info.rejected as (string | { address: string })[]).map(address);
      const response = info.response ?? '';
      const code = Number(/^(\d{3})/.exec(response)?.[1] ?? 250);
      record(flow, code, timer, true);
      if (accepted.length > 0) {
        // One list: hand the ledger the directory's shared member array itself (it caches by identity).
        const recipients = accepted.length === 1 ? (options.expand?.(accepted[0] as string) ?? accepted) : accepted.flatMap((a) => options.expand?.(a) ?? [a]);
        options.ledger.expect({ id, flow, recipients, acceptedAt: dataEndAt ?? options.clock.now() });
      } else options.ledger.failed(id);
      return { ok: true, id, code, response, accepted, rejected };
    } catch (error) {
      const failure = error as SmtpFailure;
      const code = failure.responseCode ?? 0;
      record(flow, code, timer, false);
      if (code === 0) countHarnessResourceError(options.metrics, failure.message ?? errorMessage(error));
      if (credential && isAuthFailure(error)) authFailed(flow, credential, failure);
      options.ledger.failed(id);
      // A token never reaches a result: whatever the server or a token command said is scrubbed.
      const response = trustFailureMessage(endpoint, `${host}:${port}`, error) ?? scrub(failure.response ?? failure.message ?? errorMessage(error), options.auth?.secrets() ?? []);
      return { ok: false, id, code, response, accepted: [], rejected: failure.rejected ?? [...request.to] };
    }
  }

  function authFailed(flow: string, credential: Credential, failure: SmtpFailure): void {
    const mechanism = credential.type === 'oauth2' ? 'XOAUTH2' : (credential.method ?? 'auto');
    options.metrics.count('smtp.auth_failures', 1, { flow, mechanism, code: String(failure.responseCode ?? 0) });
  }

  function record(flow: string, code: number, started: number, ok: boolean): void {
    options.metrics.trend('smtp.send_time', now() - started, { flow });
    options.metrics.count('smtp.codes', 1, { code: String(code), flow });
    options.metrics.count(ok ? 'smtp.accepted' : 'smtp.rejected', 1, { flow });
    options.metrics.rate('smtp.success', ok, { flow });
  }

  return {
    send,
    async close() {
      for (const transport of pools.values()) transport.close();
      pools.clear();
    },
  };
}

/** The message as a stream that calls `onEnd` once it has been read to the end. */
function endStamped(raw: string | Buffer, onEnd: () => void): Readable {
  let sent = false;
  const stream = new Readable({
    read() {
      if (sent) return;
      sent = true;
      this.push(raw);
      this.push(null);
    },
  });
  stream.once('end', onEnd);
  return stream;
}

function isAuthFailure(error: unknown): boolean {
  return (error as SmtpFailure).code === 'EAUTH';
}

function address(entry: string | { address: string }): string {
  return typeof entry === 'string' ? entry : entry.address;
}
