// Test-only stand-in for k6/http: asyncRequest through undici.
import { request } from 'undici';

async function asyncRequest(method: string, url: string, body: string, params: { headers?: Record<string, string> } = {}) {
  const started = performance.now();
  const res = await request(url, { method: method as 'POST', body, headers: params.headers ?? {} });
  await res.body.text();
  const duration = performance.now() - started;
  const headers: Record<string, string> = {};
  // k6 canonicalises header names (X-Mailstorm-Auth); undici gives them lower-case
  for (const [k, v] of Object.entries(res.headers)) headers[k.replace(/(^|-)([a-z])/g, (_, d: string, c: string) => d + c.toUpperCase())] = String(v);
  return { status: res.statusCode, headers, timings: { duration } };
}

export default { asyncRequest };
