import http from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import { createHttpClient } from '../../engine/clients/http-client.ts';
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
