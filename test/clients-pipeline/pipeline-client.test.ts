import test from 'ava';
import { SmtpPipelineClient } from '../../engine/clients/smtp-pipeline-client.ts';
import { MetricsRegistry } from '../../engine/metrics/registry.ts';
import { startCountingServer } from './counting-server.ts';
import { startClosingServer } from './scripted-server.ts';
import { sendAll, template } from './helpers.ts';

const ids = (n: number, prefix = 'm') => Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, to: ['b@x.test'] }));

test('every pipelined message accepted is counted exactly once, with its recipients and unstuffed body', async (t) => {
  const server = await startCountingServer();
  const client = new SmtpPipelineClient({ host: '127.0.0.1', port: server.port, connections: 3 });
  try {
    const outcomes = await sendAll(client, ids(300));
    t.true(outcomes.every((o) => o.result.ok && o.result.code === 250));
    t.is(server.accepted.size, 300);
    t.true([...server.accepted.values()].every((times) => times === 1));
    t.deepEqual(server.recipients.get('m17'), ['b@x.test']);
    // Dot-stuffing done once in the template is undone by the server: the line arrives as written.
    t.regex(server.bodies.get('m17') ?? '', /\r\n\.a line that starts with a dot\r\n/);
  } finally {
    await client.close();
    await server.stop();
  }
});

test('a 4xx/5xx reply in the middle of a pipeline lands on the message it belongs to', async (t) => {
  const server = await startCountingServer({
    refuseRecipients: { 'full@x.test': 452, 'gone@x.test': 550 },
    refuseSenders: { 'limited@x.test': 451 },
    refuseIds: { 'bad-data': 554 },
  });
  const client = new SmtpPipelineClient({ host: '127.0.0.1', port: server.port, connections: 1 });
  try {
    const outcomes = await sendAll(client, [
      { id: 'ok1', to: ['b@x.test'] },
      { id: 'gone', to: ['gone@x.test'] },
      { id: 'partial', to: ['b@x.test', 'full@x.test'] },
      { id: 'limited', from: 'limited@x.test', to: ['b@x.test'] },
      { id: 'bad-data', to: ['b@x.test'] },
      { id: 'ok2', to: ['c@x.test'] },
    ]);
    const by = Object.fromEntries(outcomes.map((o) => [o.id, o.result]));
    t.like(by.ok1, { ok: true, code: 250 });
    t.like(by.gone, { ok: false, code: 550, accepted: [] });
    t.deepEqual(by.gone?.rejected.map((r) => [r.recipient, r.code]), [['gone@x.test', 550]]);
    t.like(by.partial, { ok: true, code: 250, accepted: ['b@x.test'] });
    t.deepEqual(by.partial?.rejected.map((r) => [r.recipient, r.code]), [['full@x.test', 452]]);
    t.like(by.limited, { ok: false, code: 451 });
    t.like(by['bad-data'], { ok: false, code: 554 });
    t.like(by.ok2, { ok: true, code: 250 });
    t.deepEqual([...server.accepted.keys()].sort(), ['ok1', 'ok2', 'partial']);
    t.deepEqual(server.recipients.get('partial'), ['b@x.test']);
  } finally {
    await client.close();
    await server.stop();
  }
});

test('when the server closes mid-pipeline, exactly the messages it answered 250 are accepted', async (t) => {
  const server = await startClosingServer(25);
  const client = new SmtpPipelineClient({ host: '127.0.0.1', port: server.port, connections: 2 });
  try {
    const outcomes = await sendAll(client, ids(60));
    const accepted = outcomes.filter((o) => o.result.ok).map((o) => o.id).sort();
    t.deepEqual(accepted, [...server.accepted].sort());
    t.is(accepted.length, 25);
    const failed = outcomes.filter((o) => !o.result.ok);
    t.is(failed.length, 35);
    t.true(failed.every((o) => o.result.code === 0 && o.result.accepted.length === 0));
  } finally {
    await client.close();
    await server.stop();
  }
});

test('the pool reuses its connections and never opens more than asked', async (t) => {
  const server = await startCountingServer();
  const client = new SmtpPipelineClient({ host: '127.0.0.1', port: server.port, connections: 2 });
  try {
    await sendAll(client, ids(200, 'burst'));
    for (let i = 0; i < 20; i++) await client.send({ from: 'a@x.test', to: ['b@x.test'] }, template.render(`one-by-one${i}`));
    t.is(server.accepted.size, 220);
    t.true(server.connections <= 2, `server saw ${server.connections} connections`);
    t.is(client.stats.connectionsOpened, server.connections);
  } finally {
    await client.close();
    await server.stop();
  }
});

test('without PIPELINING it sends one command at a time and still attributes every reply', async (t) => {
  const server = await startCountingServer({ hidePipelining: true, refuseRecipients: { 'gone@x.test': 550 } });
  const client = new SmtpPipelineClient({ host: '127.0.0.1', port: server.port, connections: 2 });
  try {
    const outcomes = await sendAll(client, [...ids(30), { id: 'gone', to: ['gone@x.test'] }, { id: 'partial', to: ['gone@x.test', 'b@x.test'] }]);
    t.is(outcomes.filter((o) => o.result.ok).length, 31);
    t.like(outcomes.find((o) => o.id === 'gone')?.result, { ok: false, code: 550 });
    t.deepEqual(server.recipients.get('partial'), ['b@x.test']);
    t.is(server.accepted.size, 31);
  } finally {
    await client.close();
    await server.stop();
  }
});

test('a refused connection fails the waiting messages with code 0 instead of retrying forever', async (t) => {
  const server = await startCountingServer();
  await server.stop(); // nothing listens on this port now
  const client = new SmtpPipelineClient({ host: '127.0.0.1', port: server.port, connections: 2 });
  const outcomes = await sendAll(client, ids(5));
  t.true(outcomes.every((o) => !o.result.ok && o.result.code === 0));
  await client.close();
});

test('records smtp.send_time and smtp.codes per reply code', async (t) => {
  const server = await startCountingServer({ refuseRecipients: { 'gone@x.test': 550 } });
  const metrics = new MetricsRegistry({ startedAt: Date.now() });
  const client = new SmtpPipelineClient({ host: '127.0.0.1', port: server.port, metrics, flow: 'bulk' });
  try {
    await sendAll(client, [...ids(4), { id: 'gone', to: ['gone@x.test'] }]);
    t.is(metrics.query('smtp.codes', { code: '250', flow: 'bulk' })?.stat('count'), 4);
    t.is(metrics.query('smtp.codes', { code: '550' })?.stat('count'), 1);
    t.is(metrics.query('smtp.send_time', { flow: 'bulk' })?.samples, 5);
  } finally {
    await client.close();
    await server.stop();
  }
});

test('rejects bad input as InputError', async (t) => {
  const client = new SmtpPipelineClient({ host: '127.0.0.1', port: 1 });
  await t.throwsAsync(client.send({ from: 'a@x.test', to: [] }, template.render('x')), { name: 'InputError', message: /envelope\.to/ });
  await t.throwsAsync(client.send({ from: 'a@x.test\r\nRSET', to: ['b@x.test'] }, template.render('x')), { name: 'InputError' });
  t.throws(() => new SmtpPipelineClient({ host: '127.0.0.1', port: 1, connections: 0 }), { name: 'InputError', message: /connections/ });
  await client.close();
});

test('a server greeting with 421 fails the waiting messages with 421', async (t) => {
  const server = await startCountingServer({ refuseConnections: true });
  const client = new SmtpPipelineClient({ host: '127.0.0.1', port: server.port, connections: 2 });
  try {
    const outcomes = await sendAll(client, ids(3));
    t.true(outcomes.every((o) => !o.result.ok && o.result.code === 421));
    t.is(server.accepted.size, 0);
  } finally {
    await client.close();
    await server.stop();
  }
});

test('an idle connection that timed out is replaced, not written to', async (t) => {
  const server = await startCountingServer();
  const client = new SmtpPipelineClient({ host: '127.0.0.1', port: server.port, connections: 1, timeoutMs: 1000 }); // above the server's 100 ms greeting delay
  try {
    t.true((await client.send({ from: 'a@x.test', to: ['b@x.test'] }, template.render('before'))).ok);
    for (let i = 0; i < 200 && client.stats.open > 0; i++) await new Promise((r) => setTimeout(r, 25));
    t.is(client.stats.open, 0);
    t.true((await client.send({ from: 'a@x.test', to: ['b@x.test'] }, template.render('after'))).ok);
    t.is(server.connections, 2);
    t.deepEqual([...server.accepted.keys()].sort(), ['after', 'before']);
  } finally {
    await client.close();
    await server.stop();
  }
});
