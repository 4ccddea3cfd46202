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
  // 10,486 delays of 10 µs (105 ms) plus the work of 10,486 writes; one 1 ms timer per piece took 10.5 s or more.
  t.true(elapsed >= slices * 0.01 * 0.9, `paced, not passed straight through: ${elapsed.toFixed(0)} ms`);
  t.true(elapsed < slices * 1 * 0.5, `took ${elapsed.toFixed(0)} ms; 1 ms per gap would be ${slices} ms`);
  t.log(`1 MiB through slicer(100 B, 10 µs): ${elapsed.toFixed(0)} ms`);
});

/** Echoes `payload` through the proxy on a fresh connection; returns what came back and how long it took. */
async function echoTimed(port: number, payload: Buffer): Promise<{ got: Buffer; ms: number }> {
  const c = connect(port);
  await new Promise<void>((resolve) => c.socket.once('connect', () => resolve()));
  const started = performance.now();
  c.socket.write(payload);
  const got = await c.waitFor(payload.length, 60_000);
  const ms = performance.now() - started;
  c.socket.destroy();
  return { got, ms };
}

test('slicer with a 100 µs delay adds about the sum of its delays (timer oversleep is credited), data intact', async (t) => {
  await using fake = await new FakeToxiproxy().start();
  await using echo = await echoServer();
  const proxy = await new Toxiproxy(fake.url).createProxy({ name: 'p', listen: '127.0.0.1:0', upstream: echo.address });
  const port = portOf(proxy.listen);
  const payload = Buffer.from(Array.from({ length: 256 * 1024 }, (_, i) => (i * 7) % 253));
  // The same slicing with no delay first: the cost of cutting and writing 2,621 pieces on this
  // machine right now, so the comparison below measures the delays alone.
  const sliced = await proxy.addToxic({ name: 's', type: 'slicer', stream: 'downstream', toxicity: 1, attributes: { average_size: 100, size_variation: 20, delay: 0 } });
  const baseline = await echoTimed(port, payload);
  t.true(baseline.got.equals(payload));
  await sliced.update({ name: 's', type: 'slicer', stream: 'downstream', toxicity: 1, attributes: { average_size: 100, size_variation: 20, delay: 100 } });
  const delayed = await echoTimed(port, payload);
  t.true(delayed.got.equals(payload), 'every byte, in order');
  // Pieces average 100 bytes: 2,621 delays of 100 µs is 262 ms owed in all; a 1 ms timer per piece would add 2.6 s.
  const expected = (payload.length / 100) * 0.1;
  const added = delayed.ms - baseline.ms;
  t.log(`256 KiB through slicer(100±20 B): ${baseline.ms.toFixed(0)} ms with no delay, ${delayed.ms.toFixed(0)} ms with 100 µs; delays sum to ${expected.toFixed(0)} ms`);
  t.true(delayed.ms >= expected * 0.8, `paced: ${delayed.ms.toFixed(0)} ms for ${expected.toFixed(0)} ms of delay`);
  t.true(added < expected * 3, `the delays added ${added.toFixed(0)} ms, more than 3x their sum of ${expected.toFixed(0)} ms`);
});

test('slicer pieces owed a 20 ms delay each arrive as separate reads of average_size bytes', async (t) => {
  await using fake = await new FakeToxiproxy().start();
  await using echo = await echoServer();
  const proxy = await new Toxiproxy(fake.url).createProxy({ name: 'p', listen: '127.0.0.1:0', upstream: echo.address });
  await proxy.addToxic({ name: 's', type: 'slicer', stream: 'downstream', toxicity: 1, attributes: { average_size: 100, size_variation: 0, delay: 20_000 } });
  const payload = Buffer.from(Array.from({ length: 2000 }, (_, i) => i % 241));
  const c = connect(portOf(proxy.listen));
  const reads: number[] = [];
  c.socket.on('data', (d: Buffer) => reads.push(d.length));
  c.socket.write(payload);
  const started = performance.now();
  const got = await c.waitFor(payload.length, 30_000);
  const elapsed = performance.now() - started;
  c.socket.destroy();
  t.true(got.equals(payload), 'every byte, in order');
  t.log(`reads: ${reads.join(' ')} in ${elapsed.toFixed(0)} ms`);
  // 20 pieces, 19 gaps of 20 ms; a read may hold two pieces if the client's loop was busy.
  t.true(reads.length >= 10, `${reads.length} reads`);
  t.true(reads.every((n) => n % 100 === 0), 'reads are whole 100-byte pieces');
  t.true(elapsed >= 19 * 20 * 0.9, `${elapsed.toFixed(0)} ms for 380 ms of delay`);
});

test('a slicer delay that would overflow Node\'s timer (2^31 ms in µs) is refused with 400', async (t) => {
  await using fake = await new FakeToxiproxy().start();
  t.is((await raw(`${fake.url}/proxies`, 'POST', { name: 'a', listen: '127.0.0.1:0', upstream: '127.0.0.1:9' })).status, 201);
  const tooLong = await raw(`${fake.url}/proxies/a/toxics`, 'POST', { type: 'slicer', attributes: { average_size: 10, delay: 2 ** 31 * 1000 } });
  t.is(tooLong.status, 400);
  t.deepEqual(Object.keys(tooLong.json), ['error', 'status']);
  t.is(tooLong.json.status, 400);
  t.regex(tooLong.json.error, /attributes\.delay must be below 2147483648000 µs/);
  t.is((await raw(`${fake.url}/proxies/a/toxics`, 'POST', { type: 'slicer', attributes: { average_size: 10, delay: 2 ** 31 * 1000 - 1 } })).status, 200);
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
  const truncatedUtf8 = await raw(`${u}/proxies/%E0%A4%A`, 'GET');
  t.is(truncatedUtf8.status, 400, truncatedUtf8.text);
  t.deepEqual(truncatedUtf8.json, { error: 'invalid URL escape in path: "%E0%A4%A"', status: 400 });

  const unresolvable = await raw(`${u}/proxies`, 'POST', { name: 'c', listen: '127.0.0.999:0', upstream: '127.0.0.1:9' });
  t.is(unresolvable.status, 400, unresolvable.text);
  t.regex(unresolvable.json.error, /listen tcp 127\.0\.0\.999:0/);
  t.is((await raw(`${u}/proxies/c`, 'GET')).status, 404, 'nothing was created');
});
