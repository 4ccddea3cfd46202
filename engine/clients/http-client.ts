// The HTTP client flows use: undici's dispatcher API on one keep-alive Agent (a pool of
// connections per origin), every request timed to the microsecond and its status counted.
// A timeout or refused connection is a response with status 0, never a throw. https origins
// of the stack (ActiveSync) are verified with their endpoint's CA and name.
// No fetch and no AbortSignal per request: the per-request timeout is undici's
// headersTimeout/bodyTimeout, which cost nothing when they do not fire.
import { performance } from 'node:perf_hooks';
import type { LookupFunction } from 'node:net';
import { Agent, Client, Pool } from 'undici';
import { systemClock, type Clock } from '../clock.ts';
import { errorMessage } from '../errors.ts';
import type { MetricsSink } from '../metrics/types.ts';
import type { HttpClient, HttpResponse } from './types.ts';
import { declareAll } from '../metrics/declare.ts';
import { HTTP_CLIENT_METRICS } from './metric-declarations.ts';
import { tlsConnectOptions, trustFailureMessage, type HttpsTarget } from './tls.ts';

export interface HttpClientOptions {
  metrics: MetricsSink;
  /** Default per-request timeout, ms (default 30 s): for the response head, then again for the body. */
  timeoutMs?: number;
  /**
   * The run's clock: a simulated or compressed one times requests in its own time; the
   * system clock (the default) is replaced by performance.now, monotonic and sub-millisecond.
   */
  clock?: Clock;
  /** Connections kept open per origin at most (default: as many as requests in flight). */
  connections?: number;
  /** Name resolution for every connection (a remote stack's allow-list); default the system's. */
  lookup?: LookupFunction;
  /** TLS settings of the stack's https endpoints (httpsTargets); other https origins use the system's CAs. */
  tls?: readonly HttpsTarget[];
}

export interface ClosableHttpClient extends HttpClient {
  /** Closes the keep-alive connections. */
  close(): Promise<void>;
}

function toHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

export function createHttpClient(options: HttpClientOptions): ClosableHttpClient {
  const clock = options.clock ?? systemClock;
  declareAll(options.metrics, HTTP_CLIENT_METRICS);
  const now = clock === systemClock ? () => performance.now() : () => clock.now();
  const defaultTimeout = options.timeoutMs ?? 30_000;
  const targets = new Map((options.tls ?? []).map((target) => [target.origin, target]));
  const agent = new Agent({
    keepAliveTimeout: 10_000,
    ...(options.connections !== undefined ? { connections: options.connections } : {}),
    ...(options.lookup ? { connect: { lookup: options.lookup } } : {}),
    // One pool per origin, as undici's own factory makes, with the endpoint's CA, name and verification.
    factory: (origin: string | URL, opts: object) => {
      const target = targets.get(new URL(String(origin)).origin);
      const base = opts as Pool.Options;
      const settings = target ? { ...base, connect: { ...(base.connect as object | undefined), ...tlsConnectOptions(target.settings) } } : base;
      return settings.connections === 1 ? new Client(origin, settings) : new Pool(origin, settings);
    },
  });
  return {
    async request(method, url, init = {}): Promise<HttpResponse> {
      const started = now();
      const timeout = init.timeoutMs ?? defaultTimeout;
      let response: HttpResponse;
      try {
        const target = new URL(url);
        const res = await agent.request({
          origin: target.origin,
          path: `${target.pathname}${target.search}`,
          method: method as 'GET',
          ...(init.headers && { headers: init.headers }),
          ...(init.body !== undefined && { body: init.body }),
          headersTimeout: timeout,
          bodyTimeout: timeout,
        });
        response = { status: res.statusCode, headers: toHeaders(res.headers), body: await res.body.text() };
      } catch (error) {
        const origin = originOf(url);
        const untrusted = trustFailureMessage(targets.get(origin)?.endpoint ?? origin, origin.replace(/^https?:\/\//, ''), error);
        response = { status: 0, headers: new Headers(), body: untrusted ?? errorMessage(error) };
      }
      const tags = { method, status: String(response.status), ...init.tags };
      options.metrics.trend('http.req_duration', now() - started, tags);
      options.metrics.count('http.codes', 1, { code: String(response.status), ...init.tags });
      options.metrics.rate('http.req_failed', response.status === 0 || response.status >= 400, init.tags ?? {});
      return response;
    },
    close: () => agent.close(),
  };
}
