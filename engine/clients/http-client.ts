// The HTTP client flows use: undici's dispatcher API on one keep-alive Agent (a pool of
// connections per origin), every request timed to the microsecond and its status counted.
// A timeout or refused connection is a response with status 0, never a throw. https origins
// of the stack (ActiveSync) are verified with their endpoint's CA and name.
// No fetch and no AbortSignal per request: the per-request timeout is undici's
// headersTimeout/bodyTimeout, which cost nothing when they do not fire. Per request it
// parses no URL it has seen, builds the response's Headers only when a flow reads them and
// records under tag objects made once (http-sample-tags.ts): at tens of thousands of
// requests a second each of these showed in the profile (bench/README.md, benchmark 8).
// Flows write an account's Basic credentials; on a stack whose accounts log in with OAuth2 the
// header goes out as `Authorization: Bearer <token>` instead, and a 401 reads the token again
// and tries once more.
import { countHarnessResourceError } from './harness-resource-errors.ts';
import { performance } from 'node:perf_hooks';
import type { LookupFunction } from 'node:net';
import { Agent, Client, Pool } from 'undici';
import { systemClock, type Clock } from '../clock.ts';
import { errorMessage } from '../errors.ts';
import type { MetricsSink } from '../metrics/types.ts';
import type { HttpClient, HttpResponse } from './types.ts';
import { declareAll } from '../metrics/declare.ts';
import { HTTP_CLIENT_METRICS } from './metric-declarations.ts';
import { sampleTags } from './http-sample-tags.ts';
import { tlsConnectOptions, trustFailureMessage, type HttpsTarget } from './tls.ts';
import type { ClientAuth, Credential } from './auth/types.ts';
import { scrub } from '../secrets.ts';

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
  /** How accounts log in (the stack's): with OAuth2, a Basic header is sent as Bearer. */
  auth?: ClientAuth;
}

export interface ClosableHttpClient extends HttpClient {
  /** Closes the keep-alive connections. */
  close(): Promise<void>;
}

type RawHeaders = Record<string, string | string[] | undefined>;

function toHeaders(raw: RawHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

/** A response whose Headers object is built on first read: most flows only look at the status. */
class LazyResponse implements HttpResponse {
  #raw: RawHeaders;
  #headers: Headers | undefined;

  constructor(
    readonly status: number,
    raw: RawHeaders,
    readonly body: string,
  ) {
    this.#raw = raw;
  }

  get headers(): Headers {
    return (this.#headers ??= toHeaders(this.#raw));
  }
}

interface Target {
  origin: string;
  path: string;
}

// Flows request the same few URLs again and again; a bounded cache (emptied when full) keeps
// a flow that puts an id in every URL from growing it.
const MAX_TARGETS = 1000;

function urlTargets(): (url: string) => Target {
  const seen = new Map<string, Target>();
  return (url) => {
    let target = seen.get(url);
    if (target === undefined) {
      const parsed = new URL(url);
      target = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
      if (seen.size >= MAX_TARGETS) seen.clear();
      seen.set(url, target);
    }
    return target;
  };
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** The account in a Basic Authorization header, or undefined. */
function basicAccount(headers: Record<string, string> | undefined): { key: string; user: string; pass: string } | undefined {
  const key = headers && Object.keys(headers).find((k) => k.toLowerCase() === 'authorization');
  const m = key ? /^Basic ([A-Za-z0-9+/]+={0,2})$/i.exec(headers![key]!.trim()) : null;
  if (!key || !m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon <= 0 ? undefined : { key, user: decoded.slice(0, colon), pass: decoded.slice(colon + 1) };
}

export function createHttpClient(options: HttpClientOptions): ClosableHttpClient {
  const clock = options.clock ?? systemClock;
  declareAll(options.metrics, HTTP_CLIENT_METRICS);
  const now = clock === systemClock ? () => performance.now() : () => clock.now();
  const defaultTimeout = options.timeoutMs ?? 30_000;
  const targets = new Map((options.tls ?? []).map((target) => [target.origin, target]));
  const parse = urlTargets();
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
  type Init = NonNullable<Parameters<HttpClient['request']>[2]>;

  async function send(method: string, url: string, init: Init, headers: Record<string, string> | undefined, timeout: number): Promise<HttpResponse> {
    try {
      const { origin, path } = parse(url);
      const res = await agent.request({
        origin,
        path,
        method: method as 'GET',
        ...(headers && { headers }),
        ...(init.body !== undefined && { body: init.body }),
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      return new LazyResponse(res.statusCode, res.headers, await res.body.text());
    } catch (error) {
      const origin = originOf(url);
      const untrusted = trustFailureMessage(targets.get(origin)?.endpoint ?? origin, origin.replace(/^https?:\/\//, ''), error);
      countHarnessResourceError(options.metrics, `${(error as { code?: string; cause?: { code?: string } }).cause?.code ?? ''} ${errorMessage(error)}`);
      return new LazyResponse(0, {}, untrusted ?? scrub(errorMessage(error), options.auth?.secrets() ?? []));
    }
  }

  /** A Basic header as the stack's accounts log in: Bearer with a token, read again once after a 401. */
  async function sendAs(auth: ClientAuth, method: string, url: string, init: Init, timeout: number): Promise<HttpResponse> {
    const account = basicAccount(init.headers);
    if (!account) return send(method, url, init, init.headers, timeout);
    let credential: Credential;
    try {
      credential = await auth.credential(account.user, account.pass);
    } catch (error) {
      return new LazyResponse(0, {}, scrub(errorMessage(error), auth.secrets()));
    }
    const headers = (c: Credential) => (c.type === 'oauth2' ? { ...init.headers, [account.key]: `Bearer ${c.accessToken}` } : init.headers);
    const scheme = credential.type === 'oauth2' ? 'bearer' : 'basic';
    let response = await send(method, url, init, headers(credential), timeout);
    const renewed = response.status === 401 ? await auth.renew(credential) : undefined;
    if (renewed) {
      options.metrics.count('http.auth_failures', 1, { scheme, ...init.tags });
      response = await send(method, url, init, headers(renewed), timeout);
    }
    if (response.status === 401) options.metrics.count('http.auth_failures', 1, { scheme, ...init.tags });
    return response;
  }

  return {
    async request(method, url, init = {}): Promise<HttpResponse> {
      const started = now();
      const timeout = init.timeoutMs ?? defaultTimeout;
      const response = options.auth ? await sendAs(options.auth, method, url, init, timeout) : await send(method, url, init, init.headers, timeout);
      const elapsed = now() - started;
      const tags = sampleTags(method, response.status, init.tags);
      options.metrics.trend('http.req_duration', elapsed, tags.duration);
      options.metrics.count('http.codes', 1, tags.code);
      options.metrics.rate('http.req_failed', response.status === 0 || response.status >= 400, tags.failed);
      return response;
    },
    close: () => agent.close(),
  };
}
