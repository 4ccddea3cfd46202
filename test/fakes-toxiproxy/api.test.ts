// The HTTP API as toxiproxy-node-client and raw HTTP see it: shapes, defaults, statuses, bodies.
import test from 'ava';
import { Toxiproxy, ToxiproxyError } from 'toxiproxy-node-client';
import { FakeToxiproxy } from '../../fakes/toxiproxy/index.ts';
import { echoServer } from './helpers.ts';

async function raw(url: string, method: string, body?: unknown) {
  const res = await fetch(url, { method, ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}) });
  const text = await res.text();
  return { status: res.status, text, json: text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : undefined };
}

test('version, create, list, get, update, delete round trip through the client', async (t) => {
  await using fake = await new FakeToxiproxy().start();
  await using echo = await echoServer();
  const client = new Toxiproxy(fake.url);
  t.deepEqual(JSON.parse(await client.getVersion()), { version: '2.12.0' });

  const proxy = await client.createProxy({ name: 'redis', listen: '127.0.0.1:0', upstream: echo.address });
  t.true(proxy.enabled);
  const all = await client.getAll();
  t.deepEqual(Object.keys(all), ['redis']);
  t.is(all.redis?.listen, proxy.listen);

  const toxic = await proxy.addToxic({ name: 'lat', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 100, jitter: 0 } });
  t.deepEqual(toxic.toJson(), { name: 'lat', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 100, jitter: 0 } });
  const updated = await toxic.update({ ...toxic.toJson(), attributes: { latency: 250, jitter: 10 } });
  t.deepEqual(updated.attributes, { latency: 250, jitter: 10 });
  t.deepEqual((await proxy.getToxic('lat')).attributes, { latency: 250, jitter: 10 });

  await updated.remove();
  await t.throwsAsync(proxy.getToxic('lat'), { instanceOf: ToxiproxyError, message: /404/ });
  await proxy.remove();
  await t.throwsAsync(client.get('redis'), { message: /404/ });
  t.deepEqual(await client.getAll(), {});
});

test('toxic defaults: name <type>_<stream>, stream downstream, toxicity 1, every attribute shown', async (t) => {
  await using fake = await new FakeToxiproxy().start();
  const p = await raw(`${fake.url}/proxies`, 'POST', { name: 'p', listen: '127.0.0.1:0', upstream: '127.0.0.1:9' });
  t.is(p.status, 201);
  t.deepEqual(Object.keys(p.json), ['name', 'listen', 'upstream', 'enabled', 'toxics']);
  const toxic = await raw(`${fake.url}/proxies/p/toxics`, 'POST', { type: 'latency', attributes: { latency: 1000 } });
  t.is(toxic.status, 200);
  t.deepEqual(toxic.json, { name: 'latency_downstream', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 1000, jitter: 0 } });
  const up = await raw(`${fake.url}/proxies/p/toxics`, 'POST', { type: 'bandwidth', stream: 'upstream', toxicity: 0.5, attributes: { rate: 10 } });
  t.is(up.json.name, 'bandwidth_upstream');
  const list = await raw(`${fake.url}/proxies/p/toxics`, 'GET');
  t.deepEqual(list.json.map((x: { name: string }) => x.name), ['bandwidth_upstream', 'latency_downstream']);
  const patched = await raw(`${fake.url}/proxies/p/toxics/latency_downstream`, 'PATCH', { attributes: { jitter: 5 } });
  t.deepEqual(patched.json.attributes, { latency: 1000, jitter: 5 });
  const patchedProxy = await raw(`${fake.url}/proxies/p`, 'PATCH', { enabled: false });
  t.false(patchedProxy.json.enabled);
  t.is(patchedProxy.json.toxics.length, 2);
});

test('error statuses and bodies match Toxiproxy 2.12', async (t) => {
  await using fake = await new FakeToxiproxy().start();
  const u = fake.url;
  t.is((await raw(`${u}/proxies`, 'POST', { name: 'a', listen: '127.0.0.1:0', upstream: '127.0.0.1:9' })).status, 201);
  t.deepEqual(await raw(`${u}/proxies`, 'POST', { name: 'a', listen: '127.0.0.1:0', upstream: '127.0.0.1:9' }),
    { status: 409, text: '{"error":"proxy already exists","status":409}\n', json: { error: 'proxy already exists', status: 409 } });
  t.deepEqual((await raw(`${u}/proxies`, 'POST', { name: 'b', listen: '127.0.0.1:0' })).json, { error: 'missing required field: upstream', status: 400 });
  t.deepEqual((await raw(`${u}/proxies/nope`, 'GET')).json, { error: 'proxy not found', status: 404 });
  t.is((await raw(`${u}/proxies/nope/toxics`, 'POST', { type: 'latency' })).status, 404);
  t.deepEqual((await raw(`${u}/proxies/a/toxics`, 'POST', { type: 'nosuch' })).json, { error: 'invalid toxic type', status: 400 });
  t.deepEqual((await raw(`${u}/proxies/a/toxics`, 'POST', { type: 'latency', stream: 'sideways' })).json,
    { error: 'stream was invalid, can be either upstream or downstream', status: 400 });
  t.is((await raw(`${u}/proxies/a/toxics`, 'POST', { type: 'latency' })).status, 200);
  t.deepEqual((await raw(`${u}/proxies/a/toxics`, 'POST', { type: 'latency' })).json, { error: 'toxic already exists', status: 409 });
  t.is((await raw(`${u}/proxies/a/toxics`, 'POST', { type: 'latency', name: 'x', attributes: { latency: 'slow' } })).status, 400);
  t.is((await raw(`${u}/proxies/a/toxics`, 'POST', '{not json')).status, 400);
  t.deepEqual((await raw(`${u}/proxies/a/toxics/nope`, 'GET')).json, { error: 'toxic not found', status: 404 });
  t.is((await raw(`${u}/proxies/a/toxics/nope`, 'DELETE')).status, 404);
  t.is((await raw(`${u}/proxies/a/toxics/latency_downstream`, 'DELETE')).status, 204);
  t.is((await raw(`${u}/proxies/a`, 'DELETE')).status, 204);
});

test('listen addresses off loopback are refused with 400', async (t) => {
  await using fake = await new FakeToxiproxy().start();
  const client = new Toxiproxy(fake.url);
  for (const listen of ['0.0.0.0:0', '10.1.2.3:0', 'example.com:25']) {
    await t.throwsAsync(client.createProxy({ name: `p${listen}`, listen, upstream: '127.0.0.1:9' }), { message: /400/ });
  }
  const r = await raw(`${fake.url}/proxies`, 'POST', { name: 'q', listen: '0.0.0.0:0', upstream: '127.0.0.1:9' });
  t.regex(r.json.error, /loopback/);
  t.deepEqual(await client.getAll(), {});
});

test('populate creates, keeps unchanged and replaces changed proxies; reset clears toxics and re-enables', async (t) => {
  await using fake = await new FakeToxiproxy().start();
  const client = new Toxiproxy(fake.url);
  const first = await client.populate([
    { name: 'smtp', listen: '127.0.0.1:0', upstream: '127.0.0.1:25' },
    { name: 'imap', listen: '127.0.0.1:0', upstream: '127.0.0.1:143' },
  ]);
  t.deepEqual(Object.keys(first).sort(), ['imap', 'smtp']);
  const smtp = first.smtp!;
  await smtp.addToxic({ name: 'slow', type: 'latency', stream: 'upstream', toxicity: 1, attributes: { latency: 10, jitter: 0 } });
  await first.imap!.update({ enabled: false, listen: first.imap!.listen, upstream: first.imap!.upstream });

  const again = await raw(`${fake.url}/populate`, 'POST', [
    { name: 'smtp', listen: smtp.listen, upstream: '127.0.0.1:25' },
    { name: 'imap', listen: '127.0.0.1:0', upstream: '127.0.0.1:993' },
  ]);
  t.is(again.status, 201);
  t.is(again.json.proxies[0].toxics.length, 1, 'unchanged proxy kept with its toxics');
  t.is(again.json.proxies[1].upstream, '127.0.0.1:993');
  t.true(again.json.proxies[1].enabled, 'changed proxy replaced');

  const bad = await raw(`${fake.url}/populate`, 'POST', [{ name: 'ok', listen: '127.0.0.1:0', upstream: '127.0.0.1:1' }, { name: 'nope' }]);
  t.is(bad.status, 400);
  t.is(bad.json.error, 'missing required field: upstream');
  t.deepEqual(bad.json.proxies.map((p: { name: string }) => p.name), ['ok']);

  await (await client.get('ok')).update({ enabled: false, listen: '127.0.0.1:0', upstream: '127.0.0.1:1' });
  await client.reset();
  for (const p of Object.values(await client.getAll())) t.true(p.enabled, `${p.name} enabled`);
  t.deepEqual((await raw(`${fake.url}/proxies/smtp/toxics`, 'GET')).json, []);
});

test('examples from the Toxiproxy README give the documented shapes', async (t) => {
  await using fake = await new FakeToxiproxy().start();
  // curl -X POST .../proxies -d '{"name":"shopify_test_redis_master","listen":"localhost:26379","upstream":"localhost:6379"}'
  const created = await raw(`${fake.url}/proxies`, 'POST', { name: 'shopify_test_redis_master', listen: 'localhost:0', upstream: 'localhost:6379' });
  t.like(created.json, { name: 'shopify_test_redis_master', upstream: 'localhost:6379', enabled: true, toxics: [] });
  // toxiproxy-cli toxic add -t latency -a latency=1000 shopify_test_redis_master
  const toxic = await raw(`${fake.url}/proxies/shopify_test_redis_master/toxics`, 'POST',
    { name: '', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 1000 } });
  t.deepEqual(toxic.json, { name: 'latency_downstream', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 1000, jitter: 0 } });
  // toxiproxy-cli toggle: POST with {"enabled": false}
  t.false((await raw(`${fake.url}/proxies/shopify_test_redis_master`, 'POST', { enabled: false })).json.enabled);
  const index = await raw(`${fake.url}/proxies`, 'GET');
  t.deepEqual(Object.keys(index.json), ['shopify_test_redis_master']);
  t.is(index.json.shopify_test_redis_master.toxics[0].name, 'latency_downstream');
  t.is((await raw(`${fake.url}/reset`, 'POST')).status, 204);
  t.is((await raw(`${fake.url}/nothing`, 'GET')).status, 404);
});

test('requests shaped as toxiproxy-cli (the Go client) sends them', async (t) => {
  await using fake = await new FakeToxiproxy().start();
  await using echo = await echoServer();
  const headers = { 'User-Agent': 'toxiproxy-cli', 'Content-Type': 'application/json' };
  const send = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${fake.url}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  };
  // toxiproxy-cli create -l 127.0.0.1:0 -u <echo> redis: Proxy.Save() posts the whole struct.
  const created = await send('POST', '/proxies', { name: 'redis', listen: '127.0.0.1:0', upstream: echo.address, enabled: true, toxics: null });
  t.is(created.status, 201);
  // toxiproxy-cli toxic add -t latency -a latency=100 redis: name and stream left empty.
  const added = await send('POST', '/proxies/redis/toxics', { name: '', type: 'latency', stream: '', toxicity: 1, attributes: { latency: 100 } });
  t.deepEqual(added.json, { attributes: { latency: 100, jitter: 0 }, name: 'latency_downstream', type: 'latency', stream: 'downstream', toxicity: 1 });
  // toxiproxy-cli toxic update -n latency_downstream -a jitter=5 redis: PATCH with attributes only.
  const updated = await send('PATCH', '/proxies/redis/toxics/latency_downstream', { attributes: { jitter: 5 } });
  t.deepEqual(updated.json.attributes, { latency: 100, jitter: 5 });
  t.is(updated.json.toxicity, 1);
  // toxiproxy-cli toggle redis: Save() posts the whole proxy, toxics included.
  const toggled = await send('POST', '/proxies/redis', { ...created.json, enabled: false, toxics: [updated.json] });
  t.false(toggled.json.enabled);
  t.is(toggled.json.toxics.length, 1, 'toxics in an update body are ignored, not replaced');
  const list = await send('GET', '/proxies');
  t.false(list.json.redis.enabled);
  const error = await send('DELETE', '/proxies/redis/toxics/nope');
  t.deepEqual(error.json, { error: 'toxic not found', status: 404 }, 'the Go client decodes error bodies as JSON');
  t.is((await send('POST', '/reset')).status, 204);
  t.true((await send('GET', '/proxies/redis')).json.enabled);
});

test('field names match case-insensitively, as Go\'s JSON decoder does (Toxiproxy\'s own tests post "Name")', async (t) => {
  await using fake = await new FakeToxiproxy().start();
  const created = await raw(`${fake.url}/proxies`, 'POST', { Name: 'mysql_master', Listen: 'localhost:0', Upstream: 'localhost:20001' });
  t.is(created.status, 201);
  t.like(created.json, { name: 'mysql_master', upstream: 'localhost:20001', enabled: true });
  const toxic = await raw(`${fake.url}/proxies/mysql_master/toxics`, 'POST', { Type: 'latency', Stream: 'upstream', Attributes: { Latency: 7 } });
  t.deepEqual(toxic.json, { attributes: { latency: 7, jitter: 0 }, name: 'latency_upstream', type: 'latency', stream: 'upstream', toxicity: 1 });
  t.false((await raw(`${fake.url}/proxies/mysql_master`, 'POST', { Enabled: false })).json.enabled);
});

test('concurrent creates of one name: exactly one wins, the rest get 409', async (t) => {
  await using fake = await new FakeToxiproxy().start();
  const results = await Promise.all(Array.from({ length: 5 }, () => raw(`${fake.url}/proxies`, 'POST', { name: 'same', listen: '127.0.0.1:0', upstream: '127.0.0.1:9' })));
  t.deepEqual(results.map((r) => r.status).sort(), [201, 409, 409, 409, 409]);
  const busy = await raw(`${fake.url}/proxies`, 'POST', { name: 'clash', listen: results.find((r) => r.status === 201)!.json.listen, upstream: '127.0.0.1:9' });
  t.is(busy.status, 500, 'a port in use is a server error, as in Toxiproxy');
  t.regex(busy.json.error, /listen tcp/);
  t.deepEqual(Object.keys((await raw(`${fake.url}/proxies`, 'GET')).json), ['same']);
});
