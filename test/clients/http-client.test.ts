import http from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import { createHttpClient } from '../../engine/clients/http-client.ts';
import { MetricsRegistry } from '../../engine/metrics/registry.ts';
import { RecordingMetrics } from '../ledger/recording-metrics.ts';

test('records status, duration, and turns a timeout into status 0', async (t) => {
  const server = http.createServer((req, res) => {
    if (req.url === '/slow') return void setTimeout(() => res.end('late'), 1000);
    res.statusCode = req.url === '/locked' ? 423 : 200;
    res.end(`hello ${req.method}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const metrics = new RecordingMetrics();
  const client = createHttpClient({ metrics });
  const ok = await client.request('POST', `${base}/x`, { body: 'b', tags: { flow: 'device' } });
  t.like(ok, { status: 200, body: 'hello POST' });
  t.is((await client.request('GET', `${base}/locked`)).status, 423);
  t.is((await client.request('GET', `${base}/slow`, { timeoutMs: 50 })).status, 0);
  t.is(metrics.total('http.codes', { code: '200', flow: 'device' }), 1);
  t.is(metrics.total('http.req_duration'), 3);
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

test('keeps connections alive and times requests below the millisecond', async (t) => {
  const sockets = new Set<unknown>();
  const server = http.createServer((_req, res) => res.end('ok'));
  server.on('connection', (socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const metrics = new RecordingMetrics();
  const client = createHttpClient({ metrics });
  for (let i = 0; i < 20; i++) t.is((await client.request('GET', `${base}/${i}?q=1`)).status, 200);
  t.true(sockets.size <= 2, `twenty sequential requests reuse kept-alive connections: ${sockets.size} opened`);
  const durations = metrics.records.filter((r) => r.kind === 'trend' && r.name === 'http.req_duration').map((r) => r.value);
  t.is(durations.length, 20);
  t.true(durations.some((ms) => !Number.isInteger(ms)), `fractional milliseconds: ${durations.slice(0, 3).join(', ')}`);
  await client.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

test('records a sub-millisecond duration against a local server, through the run\'s histogram', async (t) => {
  const server = http.createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tiny`;
  const metrics = new MetricsRegistry({ startedAt: Date.now() });
  const client = createHttpClient({ metrics });
  // Each recorded duration must fit inside the span measured around the call.
  const outer: number[] = [];
  for (let i = 0; i < 100; i++) {
    const before = performance.now();
    t.is((await client.request('GET', url)).status, 200);
    outer.push(performance.now() - before);
  }
  const view = metrics.query('http.req_duration', { status: '200' });
  t.is(view?.stat('count'), 100);
  const min = view?.stat('min') ?? NaN;
  t.true(min > 0 && min < 1, `a keep-alive GET on loopback takes well under 1 ms; the fastest recorded: ${min} ms`);
  t.true(min <= Math.min(...outer), `recorded ${min} ms, the fastest call took ${Math.min(...outer)} ms around it`);
  const med = view?.stat('med') ?? NaN;
  t.false(Number.isInteger(med), `the histogram keeps microseconds, not whole milliseconds: median ${med} ms`);
  await client.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

test('gives the response headers when read and tags every sample with the flow\'s current tags', async (t) => {
  const server = http.createServer((req, res) => {
    res.setHeader('x-seen', req.url ?? '');
    res.setHeader('set-cookie', ['a=1', 'b=2']);
    res.statusCode = req.url === '/missing' ? 404 : 200;
    res.end('body');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const metrics = new RecordingMetrics();
  const client = createHttpClient({ metrics });
  const first = await client.request('GET', `${base}/one?x=1`);
  t.is(first.headers.get('x-seen'), '/one?x=1');
  t.deepEqual(first.headers.getSetCookie(), ['a=1', 'b=2']);
  t.is(first.headers, first.headers, 'built once');
  // The same URL again (cached target), then a mutable tags object changed between requests.
  t.is((await client.request('GET', `${base}/one?x=1`)).headers.get('x-seen'), '/one?x=1');
  const tags: Record<string, string> = { flow: 'a' };
  await client.request('GET', `${base}/missing`, { tags });
  tags.flow = 'b';
  await client.request('GET', `${base}/missing`, { tags });
  const frozen = Object.freeze({ flow: 'c' });
  await client.request('GET', `${base}/missing`, { tags: frozen });
  await client.request('GET', `${base}/missing`, { tags: frozen });
  const durations = metrics.records.filter((r) => r.name === 'http.req_duration').map((r) => r.tags);
  t.deepEqual(durations, [
    { method: 'GET', status: '200' },
    { method: 'GET', status: '200' },
    { method: 'GET', status: '404', flow: 'a' },
    { method: 'GET', status: '404', flow: 'b' },
    { method: 'GET', status: '404', flow: 'c' },
    { method: 'GET', status: '404', flow: 'c' },
  ]);
  t.is(metrics.total('http.codes', { code: '404', flow: 'c' }), 2);
  t.is(metrics.records.filter((r) => r.name === 'http.req_failed' && r.value === 1).length, 4);
  t.is(durations[4], durations[5], 'frozen tags: one tag object for every sample');
  t.not(durations[2], durations[3], 'mutable tags: made afresh');
  await client.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
