// Behaviours where the fault proxy once differed from Toxiproxy 2.12 when both were run side by
// side: populate replacing a proxy, reset_peer after the upstream closed, sub-millisecond
// slicer delays, and the inputs Toxiproxy (or Node's timers) cannot honour.
import test from 'ava';
import net from 'node:net';
import { Toxiproxy } from 'toxiproxy-node-client';
import { FakeToxiproxy } from '../../fakes/toxiproxy/index.ts';
import { connect, echoServer, type Peer } from './helpers.ts';

async function raw(url: string, method: string, body?: unknown) {
  const res = await fetch(url, { method, ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}) });
  const text = await res.text();
  return { status: res.status, text, json: text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : undefined };
}

const portOf = (listen: string) => Number(listen.split(':').pop());

/** Sends `banner` and closes at once: the upstream hangs up before any toxic timer runs out. */
async function hangUpServer(banner: string): Promise<Peer> {
  const server = net.createServer((s) => {
    s.on('error', () => {});
    s.end(banner);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { port, address: `127.0.0.1:${port}`, stop, [Symbol.asyncDispose]: stop };
}

for (const listen of ['127.0.0.1:0', undefined]) {
  test(`populate with an existing name and listen ${listen ?? '(none)'} replaces the proxy: new port, no toxics, connections cut`, async (t) => {
    await using fake = await new FakeToxiproxy().start();
    await using echo = await echoServer();
    const first = await raw(`${fake.url}/populate`, 'POST', [{ name: 'smtp', listen: '127.0.0.1:0', upstream: echo.address }]);
    const oldPort = portOf(first.json.proxies[0].listen);
    t.is((await raw(`${fake.url}/proxies/smtp/toxics`, 'POST', { type: 'latency', attributes: { latency: 50 } })).status, 200);
    const live = connect(oldPort, 'hello');
    await live.waitFor(5);

    const again = await raw(`${fake.url}/populate`, 'POST', [{ name: 'smtp', upstream: echo.address, ...(listen ? { listen } : {}) }]);
    t.is(again.status, 201);
    const newPort = portOf(again.json.proxies[0].listen);
    t.not(newPort, oldPort, 'a new listener');
    t.deepEqual(again.json.proxies[0].toxics, [], 'the toxics of the old proxy are gone');
    await live.closed;
    t.true(live.socket.destroyed, 'the live connection through the old proxy was cut');
    const fresh = connect(newPort, 'again');
    t.is((await fresh.waitFor(5)).toString(), 'again');
    fresh.socket.destroy();
    // Re-posting the bound address keeps the proxy as it is (the "unchanged" case).
    await raw(`${fake.url}/proxies/smtp/toxics`, 'POST', { type: 'latency', attributes: { latency: 1 } });
    const kept = await raw(`${fake.url}/populate`, 'POST', [{ name: 'smtp', listen: again.json.proxies[0].listen, upstream: echo.address }]);
    t.is(portOf(kept.json.proxies[0].listen), newPort);
    t.is(kept.json.proxies[0].toxics.length, 1);
  });
}

test('reset_peer ends the client connection with a TCP RST even when the upstream closes first', async (t) => {
  await using fake = await new FakeToxiproxy().start();
  await using peer = await hangUpServer('220 bye at once\r\n');
  const proxy = await new Toxiproxy(fake.url).createProxy({ name: 'p', listen: '127.0.0.1:0', upstream: peer.address });
  await proxy.addToxic({ name: 'rst', type: 'reset_peer', stream: 'downstream', toxicity: 1, attributes: { timeout: 200 } });
  const started = performance.now();
  const { data, error } = await connect(portOf(proxy.listen)).closed;
  t.is(error, 'ECONNRESET', 'the client saw a reset, not a clean close');
  t.is(data.length, 0, 'the greeting was dropped');
  t.true(performance.now() - started >= 190, 'the reset came when the timeout ran out');
});

test('slicer delays below 1 ms are not rounded up: 1 MiB in 100-byte slices 10 µs apart', async (t) => {
  await using fake = await new FakeToxiproxy().start();
  await using echo = await echoServer();
  const proxy = await new Toxiproxy(fake.url).createProxy({ name: 'p', listen: '127.0.0.1:0', upstream: echo.address });
  await proxy.addToxic({ name: 's', type: 'slicer', stream: 'downstream', toxicity: 1, attributes: { average_size: 100, size_variation: 0, delay: 10 } });
  const payload = Buffer.from(Array.from({ length: 1 << 20 }, (_, i) => i % 251));
  const started = performance.now();
  const c = connect(portOf(proxy.listen), payload);
  const got = await c.waitFor(payload.length, 60_000);
  const elapsed = performance.now() - started;
  c.socket.destroy();
  t.true(got.equals(payload), 'every byte, in order');
  const slices = Math.ceil(payload.length / 100);
  // The schedule is 10,486 gaps of 10 µs (105 ms); rounding each gap up to a 1 ms timer took 10.5 s or more.
  t.true(elapsed >= slices * 0.01 * 0.9, `paced, not passed straight through: ${elapsed.toFixed(0)} ms`);
  t.true(elapsed < slices * 1 * 0.5, `took ${elapsed.toFixed(0)} ms; 1 ms per gap would be ${slices} ms`);
  t.log(`1 MiB through slicer(100 B, 10 µs): ${elapsed.toFixed(0)} ms`);
});

test('values Toxiproxy or Node cannot honour are refused with 400, never 500', async (t) => {
  await using fake = await new FakeToxiproxy().start();
  const u = fake.url;
  t.is((await raw(`${u}/proxies`, 'POST', { name: 'a', listen: '127.0.0.1:0', upstream: '127.0.0.1:9' })).status, 201);
  const toxic = (body: unknown) => raw(`${u}/proxies/a/toxics`, 'POST', body);

  const hugeLatency = await toxic({ type: 'latency', attributes: { latency: 2 ** 31 } });
  t.is(hugeLatency.status, 400);
  t.regex(hugeLatency.json.error, /attributes\.latency must be below 2147483648 ms/);
  t.is((await toxic({ type: 'latency', name: 'lj', attributes: { latency: 2 ** 30, jitter: 2 ** 30 } })).status, 400);
  t.is((await toxic({ type: 'timeout', attributes: { timeout: 2 ** 31 } })).status, 400);
  t.is((await toxic({ type: 'reset_peer', attributes: { timeout: 2 ** 40 } })).status, 400);
  t.is((await toxic({ type: 'latency', name: 'ok', attributes: { latency: 2 ** 31 - 1 } })).status, 200);
  t.is((await raw(`${u}/proxies/a/toxics/ok`, 'POST', { attributes: { latency: 2 ** 31 } })).status, 400, 'an update is checked too');

  for (const toxicity of [1.5, -0.1]) {
    const r = await toxic({ type: 'latency', name: `t${toxicity}`, toxicity, attributes: { latency: 1 } });
    t.is(r.status, 400, `toxicity ${toxicity}`);
    t.regex(r.json.error, /toxicity must be a number between 0 and 1/);
  }
  t.is((await raw(`${u}/proxies/a/toxics/ok`, 'POST', { toxicity: 2 })).status, 400);

  const enabledCreate = await raw(`${u}/proxies`, 'POST', { name: 'b', listen: '127.0.0.1:0', upstream: '127.0.0.1:9', enabled: 'yes' });
  t.is(enabledCreate.status, 400);
  const enabledUpdate = await raw(`${u}/proxies/a`, 'POST', { enabled: 'false' });
  t.is(enabledUpdate.status, 400);
  t.regex(enabledUpdate.json.error, /enabled must be a boolean/);
  t.true((await raw(`${u}/proxies/a`, 'GET')).json.enabled, 'a refused update changed nothing');

  const escape = await raw(`${u}/proxies/%zz`, 'GET');
  t.is(escape.status, 400);
  t.regex(escape.json.error, /invalid URL escape/);
  t.is((await raw(`${u}/proxies/a%2/toxics`, 'GET')).status, 400);

  const unresolvable = await raw(`${u}/proxies`, 'POST', { name: 'c', listen: '127.0.0.999:0', upstream: '127.0.0.1:9' });
  t.is(unresolvable.status, 400, unresolvable.text);
  t.regex(unresolvable.json.error, /listen tcp 127\.0\.0\.999:0/);
  t.is((await raw(`${u}/proxies/c`, 'GET')).status, 404, 'nothing was created');
});
