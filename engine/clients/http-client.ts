// The HTTP client flows use: fetch with a timeout, every request timed and its status
// counted. A timeout or refused connection is a response with status 0, never a throw.
import { systemClock, type Clock } from '../clock.ts';
import { errorMessage } from '../errors.ts';
import type { MetricsSink } from '../metrics/types.ts';
import type { HttpClient, HttpResponse } from './types.ts';
import { declareAll } from '../metrics/declare.ts';
import { HTTP_CLIENT_METRICS } from './metric-declarations.ts';

export interface HttpClientOptions {
  metrics: MetricsSink;
  clock?: Clock;
  /** Default per-request timeout, ms (default 30 s). */
  timeoutMs?: number;
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const clock = options.clock ?? systemClock;
  declareAll(options.metrics, HTTP_CLIENT_METRICS);
  return {
    async request(method, url, init = {}): Promise<HttpResponse> {
      const started = clock.now();
      let response: HttpResponse;
      try {
        const res = await fetch(url, {
          method,
          ...(init.headers && { headers: init.headers }),
          ...(init.body !== undefined && { body: init.body }),
          signal: AbortSignal.timeout(init.timeoutMs ?? options.timeoutMs ?? 30_000),
        });
        response = { status: res.status, headers: res.headers, body: await res.text() };
      } catch (error) {
        response = { status: 0, headers: new Headers(), body: errorMessage(error) };
      }
      const tags = { method, status: String(response.status), ...init.tags };
      options.metrics.trend('http.req_duration', clock.now() - started, tags);
      options.metrics.count('http.codes', 1, { code: String(response.status), ...init.tags });
      options.metrics.rate('http.req_failed', response.status === 0 || response.status >= 400, init.tags ?? {});
      return response;
    },
  };
}
