// A link forwards chunks directly while no toxic acts on them and through the toxic
// pipeline otherwise: switching between the two on a live connection keeps byte order,
// applies the new toxic to the very next bytes, and a slow reader still pauses the writer.
import test from 'ava';
import type { Socket } from 'node:net';
import { PassThrough, Writable } from 'node:stream';
import { Toxiproxy } from 'toxiproxy-node-client';
import { seededRandom } from '../../engine/random.ts';
import { FakeToxiproxy } from '../../fakes/toxiproxy/index.ts';
import { Link } from '../../fakes/toxiproxy/pipeline.ts';
import { ToxicSet } from '../../fakes/toxiproxy/toxic-set.ts';
import { toxicKinds } from '../../fakes/toxiproxy/toxics/registry.ts';
import { connect, echoServer } from './helpers.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('a toxic added mid-stream delays the next bytes, and adding or removing it never reorders bytes', async (t) => {
  await using fake = await new FakeToxiproxy().start();
  await using echo = await echoServer();
  const proxy = await new Toxiproxy(fake.url).createProxy({ name: 'live', listen: '127.0.0.1:0', upstream: echo.address });
  const payload = Buffer.from(Array.from({ length: 60_000 }, (_, i) => i % 251));
  const c = connect(Number(proxy.listen.split(':')[1]));
  let sent = 0;
  const send = async (bytes: number) => {
    for (const end = sent + bytes; sent < end; sent += 1000) {
      c.socket.write(payload.subarray(sent, sent + 1000));
      await pause(1);
    }
  };
  await send(20_000);
  await c.waitFor(20_000);
  const toxic = await proxy.addToxic({ name: 'slow', type: 'latency', stream: 'upstream', toxicity: 1, attributes: { latency: 300, jitter: 0 } });
  const started = performance.now();
  await send(1000);
  await c.waitFor(21_000);
  t.true(performance.now() - started >= 295, 'the first bytes after the add waited for the latency');
  await send(9000); // still in the delayed pipeline when the toxic goes
  await toxic.remove();
  await send(30_000);
  const got = await c.waitFor(payload.length);
  t.true(got.equals(payload), 'every byte arrived once, in order');
  c.socket.destroy();
});

test('with no toxic a reader that does not drain pauses the source, and resuming delivers everything in order', async (t) => {
  const source = new PassThrough();
  const received: Buffer[] = [];
  let release: (() => void) | undefined;
  // A reader that takes one chunk and then stalls until released.
  const dest = new Writable({
    highWaterMark: 4096,
    write(chunk: Buffer, _encoding, done) {
      received.push(chunk);
      if (release === undefined) release = done;
      else done();
    },
  });
  const abort = new AbortController();
  const owner = { close: () => abort.abort(), reset: () => abort.abort() };
  const toxics = new ToxicSet(toxicKinds(seededRandom(1)));
  const link = new Link('upstream', source as unknown as Socket, dest as unknown as Socket, toxics, seededRandom(2), owner, abort.signal);
  link.start();
  const payload = Buffer.from(Array.from({ length: 200 * 1024 }, (_, i) => i % 253));
  for (let at = 0; at < payload.length; at += 1024) source.write(payload.subarray(at, at + 1024));
  await pause(50);
  t.true(source.isPaused(), 'the source stopped flowing');
  t.true(dest.writableLength <= 8192, `the proxy side buffered ${dest.writableLength} bytes`);
  t.true(source.readableLength + source.writableLength > 100 * 1024, 'the rest waits in the source');
  const stalled = release as unknown as () => void;
  release = () => {};
  stalled();
  for (let i = 0; i < 100 && Buffer.concat(received).length < payload.length; i++) await pause(10);
  t.true(Buffer.concat(received).equals(payload));
  abort.abort();
});
