// The SMTP client flows use: nodemailer with a bounded pool per endpoint + credentials,
// messages built from cached body templates, every send timed and its reply code counted.
// Every message is registered with the ledger before it is sent; an accepted one then registers
// its expected deliveries (lists expanded), a failed one is marked failed (its arrivals count as
// delivered after failure). A refused one is a result carrying the code, never a throw.
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
import type { SendRequest, SendResult, SmtpClient } from './types.ts';
import { declareAll } from '../metrics/declare.ts';
import { SMTP_CLIENT_METRICS } from './metric-declarations.ts';

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
}

interface SmtpFailure {
  responseCode?: number;
  response?: string;
  message?: string;
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

  function pool(host: string, port: number, auth: SendRequest['auth']): Transporter {
    const key = `${host}:${port}|${auth?.user ?? ''}|${auth?.pass ?? ''}`;
    let transport = pools.get(key);
    if (transport) {
      pools.delete(key); // re-inserted below: Map order doubles as LRU order
    } else {
      transport = nodemailer.createTransport({
        host,
        port,
        secure: false,
        ignoreTLS: true,
        pool: true,
        maxConnections: options.poolSize ?? SMTP_POOL_CONNECTIONS,
        maxMessages: 10_000,
        ...(auth && { auth: { user: auth.user, pass: auth.pass } }),
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
    const { host, port } = resolveEndpoint(options.endpoints, request.endpoint ?? (request.auth ? 'submission' : 'smtp'));
    const started = options.clock.now();
    const timer = now();
    // Stamped when nodemailer has read the whole message, that is when it writes the final "."
    // and before the server's reply: an in-process stack delivers before the 250 comes back.
    let dataEndAt: number | undefined;
    const raw = endStamped(builder.build(request, id, new Date(started)), () => { dataEndAt = options.clock.now(); });
    // Registered before the first byte: an arrival of a send that then fails is told apart.
    options.ledger.attempt({ id, flow });
    try {
      const info = await pool(host, port, request.auth).sendMail({ envelope: { from: request.from, to: [...request.to] }, raw });
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
      options.ledger.failed(id);
      return { ok: false, id, code, response: failure.response ?? failure.message ?? String(error), accepted: [], rejected: failure.rejected ?? [...request.to] };
    }
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

function address(entry: string | { address: string }): string {
  return typeof entry === 'string' ? entry : entry.address;
}
