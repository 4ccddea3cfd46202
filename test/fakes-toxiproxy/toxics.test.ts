// Each toxic's effect as a client on the other side of the proxy observes it, over real TCP.
import test from 'ava';
import { Toxiproxy, type Proxy } from 'toxiproxy-node-client';
import { FakeToxiproxy } from '../../fakes/toxiproxy/index.ts';
import { bannerServer, connect, echoServer } from './helpers.ts';

const BANNER = '220 test.local ESMTP ready\r\n';

async function rig(kind: 'banner' | 'echo' = 'banner') {
  const fake = await new FakeToxiproxy().start();
  const peer = kind === 'banner' ? await bannerServer(BANNER) : await echoServer();
  const proxy = await new Toxiproxy(fake.url).createProxy({ name: 'p', listen: '127.0.0.1:0', upstream: peer.address });
  const port = Number(proxy.listen.split(':')[1]);
  return {
    proxy, port,
    [Symbol.asyncDispose]: async () => {
      await fake.stop();
      await peer.stop();
    },
  };
}

function add(proxy: Proxy, type: string, attributes: Record<string, number>, extra: { stream?: 'upstream' | 'downstream'; toxicity?: number; name?: string } = {}) {
  return proxy.addToxic({ name: extra.name ?? type, type: type as never, stream: extra.stream ?? 'downstream', toxicity: extra.toxicity ?? 1, attributes });
}

test('latency adds at least its value to the greeting', async (t) => {
  await using r = await rig();
  await add(r.proxy, 'latency', { latency: 300, jitter: 0 });
  const started = performance.now();
  const c = connect(r.port);
  t.is((await c.waitFor(BANNER.length)).toString(), BANNER);
  t.true(performance.now() - started >= 295);
  c.socket.destroy();
});

test('upstream latency delays only the client-to-server direction, and an update applies to a live connection', async (t) => {
  await using r = await rig('echo');
  const toxic = await add(r.proxy, 'latency', { latency: 0, jitter: 0 }, { stream: 'upstream' });
  const c = connect(r.port, 'a');
  await c.waitFor(1);
  await toxic.update({ ...toxic.toJson(), attributes: { latency: 400, jitter: 0 } });
  const started = performance.now();
  c.socket.write('b');
  t.is((await c.waitFor(2)).toString(), 'ab');
  t.true(performance.now() - started >= 395, 'the connected client sees the updated latency');
  c.socket.destroy();
});

test('bandwidth caps throughput to its rate (not faster than rate + 20%)', async (t) => {
  await using r = await rig();
  await add(r.proxy, 'bandwidth', { rate: 100 }); // 100 KB/s
  const c = connect(r.port);
  await c.waitFor(BANNER.length);
  const started = performance.now();
  c.socket.write('SEND 60000\r\n');
  const { data } = await c.closed;
  const seconds = (performance.now() - started) / 1000;
  t.is(data.length, BANNER.length + 60_000);
  t.true(60_000 / 1000 / seconds <= 100 * 1.2, `throughput ${(60 / seconds).toFixed(1)} KB/s`);
});

test('timeout > 0 drops the data and closes the connection after that long without data', async (t) => {
  await using r = await rig();
  await add(r.proxy, 'timeout', { timeout: 200 });
  const { data } = await connect(r.port).closed;
  t.is(data.length, 0);
});

test('timeout 0 drops data and keeps the connection open; removing it under traffic closes the connection and does not hang', async (t) => {
  await using r = await rig('echo');
  const toxic = await add(r.proxy, 'timeout', { timeout: 0 });
  const c = connect(r.port, 'lost');
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => setTimeout(resolve, 60));
    c.socket.write('more');
  }
  t.is(c.data().length, 0, 'nothing got through');
  t.false(c.socket.destroyed, 'still open');
  await toxic.remove();
  const { data } = await c.closed;
  t.is(data.length, 0, 'the dropped data never arrives');
  const fresh = connect(r.port, 'ok');
  t.is((await fresh.waitFor(2)).toString(), 'ok', 'new connections flow again');
  fresh.socket.destroy();
});

test('reset_peer resets the connection once data flows', async (t) => {
  await using r = await rig();
  await add(r.proxy, 'reset_peer', { timeout: 100 });
  const { data, error } = await connect(r.port).closed;
  t.is(error, 'ECONNRESET');
  t.is(data.length, 0, 'the greeting that triggered it was dropped');
});

test('limit_data lets N bytes through and then closes', async (t) => {
  await using r = await rig();
  await add(r.proxy, 'limit_data', { bytes: 100 });
  const c = connect(r.port);
  await c.waitFor(BANNER.length);
  c.socket.write('SEND 5000\r\n');
  const { data } = await c.closed;
  t.is(data.length, 100);
});

test('slicer delivers every byte intact and in order', async (t) => {
  await using r = await rig('echo');
  await add(r.proxy, 'slicer', { average_size: 64, size_variation: 32, delay: 50 });
  const payload = Buffer.from(Array.from({ length: 20_000 }, (_, i) => i % 251));
  const c = connect(r.port, payload);
  t.true((await c.waitFor(payload.length)).equals(payload));
  c.socket.destroy();
});

test('slow_close holds the close for its delay', async (t) => {
  await using r = await rig();
  await add(r.proxy, 'slow_close', { delay: 300 });
  const c = connect(r.port);
  await c.waitFor(BANNER.length);
  const started = performance.now();
  c.socket.write('QUIT\r\n');
  const { data } = await c.closed;
  t.true(data.toString().endsWith('221 bye\r\n'));
  t.true(performance.now() - started >= 295);
});

test('toxicity 0 means no effect; toxicity 0.5 affects some connections, not all', async (t) => {
  await using r = await rig();
  const toxic = await add(r.proxy, 'limit_data', { bytes: 4 }, { toxicity: 0 });
  t.is((await connect(r.port).waitFor(BANNER.length)).toString(), BANNER);
  await toxic.update({ ...toxic.toJson(), toxicity: 0.5 });
  let cut = 0;
  for (let i = 0; i < 20; i++) {
    const c = connect(r.port);
    const got = await c.waitFor(BANNER.length, 3000);
    if (got.length === 4) cut++;
    c.socket.destroy();
  }
  t.true(cut > 0 && cut < 20, `cut ${cut} of 20`);
});
