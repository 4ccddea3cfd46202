import test from 'ava';
import { Toxiproxy } from 'toxiproxy-node-client';
import { FakeToxiproxy } from '../../fakes/toxiproxy/index.ts';
import { bannerServer, connect, echoServer, refused } from './helpers.ts';

test('a proxy created through the client passes TCP both ways with no toxics', async (t) => {
  await using fake = await new FakeToxiproxy().start();
  await using echo = await echoServer();
  const client = new Toxiproxy(fake.url);
  const proxy = await client.createProxy({ name: 'echo', listen: '127.0.0.1:0', upstream: echo.address });
  t.regex(proxy.listen, /^127\.0\.0\.1:\d+$/);
  t.not(proxy.listen, '127.0.0.1:0');
  const port = Number(proxy.listen.split(':')[1]);
  const payload = Buffer.alloc(300_000, 7);
  const c = connect(port, payload);
  const got = await c.waitFor(payload.length);
  t.true(got.equals(payload));
  c.socket.end();
  await c.closed;
});

test('the upstream greeting reaches the client and QUIT closes cleanly', async (t) => {
  await using fake = await new FakeToxiproxy().start();
  await using smtp = await bannerServer();
  const proxy = await new Toxiproxy(fake.url).createProxy({ name: 'smtp', listen: 'localhost:0', upstream: smtp.address });
  const c = connect(Number(proxy.listen.split(':')[1]));
  t.is((await c.waitFor(10)).toString(), '220 test.local ESMTP ready\r\n');
  c.socket.write('QUIT\r\n');
  const { data, error } = await c.closed;
  t.is(error, undefined);
  t.true(data.toString().endsWith('221 bye\r\n'));
});

test('enabled:false cuts live connections and refuses new ones; enabling again accepts', async (t) => {
  await using fake = await new FakeToxiproxy().start();
  await using echo = await echoServer();
  const client = new Toxiproxy(fake.url);
  const proxy = await client.createProxy({ name: 'echo', listen: '127.0.0.1:0', upstream: echo.address });
  const port = Number(proxy.listen.split(':')[1]);
  const live = connect(port, 'hello');
  await live.waitFor(5);
  const disabled = await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
  t.false(disabled.enabled);
  await live.closed;
  t.true(live.socket.destroyed);
  t.true(await refused(port));
  await disabled.update({ enabled: true, listen: proxy.listen, upstream: proxy.upstream });
  const again = connect(port, 'back');
  t.is((await again.waitFor(4)).toString(), 'back');
  again.socket.end();
  await again.closed;
});
