// The HTTP client flows use: undici's dispatcher API on one keep-alive Agent (a pool of
// connections per origin), every request timed to the microsecond and its status counted.
// A timeout or refused connection is a response with status 0, never a throw.
// No fetch and no AbortSignal per request: the per-request timeout is undici's
// headersTimeout/bodyTimeout, which cost nothing when they do not fire. Per request it
// parses no URL it has seen, builds the response's Headers only when a flow reads them and
// records under tag objects made once (http-sample-tags.ts): at tens of thousands of
// requests a second each of these showed in the profile (bench/README.md, benchmark 8).
import { performance } from 'node:perf_hooks';
import type { LookupFunction } from 'node:net';
import { Agent } from 'undici';
import { systemClock, type Clock } from '../clock.ts';
import { errorMessage } from '../errors.ts';
import type { MetricsSink } from '../metrics/types.ts';
import type { HttpClient, HttpResponse } from './types.ts';
import { declareAll } from '../metrics/declare.ts';
import { HTTP_CLIENT_METRICS } from './metric-declarations.ts';
import { sampleTags } from './http-sample-tags.ts';

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

function targets(): (url: string) => Target {
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

export function createHttpClient(options: HttpClientOptions): ClosableHttpClient {
  const clock = options.clock ?? systemClock;
  declareAll(options.metrics, HTTP_CLIENT_METRICS);
  const now = clock === systemClock ? () => performance.now() : () => clock.now();
  const defaultTimeout = options.timeoutMs ?? 30_000;
  const agent = new Agent({
    keepAliveTimeout: 10_000,
    ...(options.connections !== undefined ? { connections: options.connections } : {}),
    ...(options.lookup ? { connect: { lookup: options.lookup } } : {}),
  });
  const target = targets();
  return {
    async request(method, url, init = {}): Promise<HttpResponse> {
      const started = now();
      const timeout = init.timeoutMs ?? defaultTimeout;
      let response: HttpResponse;
      try {
        const { origin, path } = target(url);
        const res = await agent.request({
          origin,
          path,
          method: method as 'GET',
          ...(init.headers && { headers: init.headers }),
          ...(init.body !== undefined && { body: init.body }),
          headersTimeout: timeout,
          bodyTimeout: timeout,
        });
        response = new LazyResponse(res.statusCode, res.headers, await res.body.text());
      } catch (error) {
        response = new LazyResponse(0, {}, errorMessage(error));
      }
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
