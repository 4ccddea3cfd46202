import test from 'ava';
import { systemClock } from '../../engine/clock.ts';
import { createSmtpClient } from '../../engine/clients/smtp-client.ts';
import { embeddedProvider } from '../../stack/embedded/index.ts';
import { eventually } from '../fakes-smtp/helpers.ts';
import { listening, stackOptions } from './helpers.ts';

test('mail flows through the proxies to the mailstore and the ledger; stop leaves nothing listening', async (t) => {
  const options = stackOptions({ lists: [{ address: 'everyone@nhs.test', members: 'all' }] });
  const stack = await embeddedProvider.start(options);
  const { endpoints } = stack;
  t.deepEqual(Object.keys(endpoints.proxies).sort(), ['activesync', 'imap', 'sink', 'sink-lmtp', 'smtp', 'submission']);
  t.is(endpoints.extra['imap-main']?.port, endpoints.imap.port);
  t.not(endpoints.submission.port, endpoints.proxies.submission?.upstream.port, 'clients reach the proxy, not the service');

  const directory = stack.directory!;
  const sender = directory.user(directory.addressAt(0))!;
  const client = createSmtpClient({ endpoints, ledger: options.ledger, metrics: options.metrics, clock: systemClock, expand: (a) => directory.expand(a) });
  const sent = await client.send({ from: sender.address, to: ['everyone@nhs.test'], auth: { user: sender.address, pass: sender.password }, flow: 'background' });
  t.like(sent, { ok: true, code: 250 });
  const inbound = await client.send({ from: 'someone@elsewhere.test', to: [directory.addressAt(1)], flow: 'inbound' });
  t.like(inbound, { ok: true });
  const expected = directory.userCount + 1;
  t.true(await eventually(() => options.ledger.outstanding() === 0, 10_000));
  t.like(options.ledger.reconcile({ final: true, now: Date.now() }), { expected, delivered: expected, lost: 0, duplicated: 0 });
  t.is(stack.queueDepth(), 0);
  await client.close();

  const ports = [...Object.values(endpoints.proxies).flatMap((p) => [p.listen.port, p.upstream.port]), Number(new URL(endpoints.toxiproxy).port)];
  await stack.stop();
  await stack.stop();
  for (const port of ports) t.false(await listening(port), `port ${port} still listening`);
});

test('standby and extra stores get their own proxies; mail can go to the sink', async (t) => {
  const options = stackOptions({
    population: { organisations: [{ name: 'Small Trust', users: 20 }] },
    mailstores: [{ name: 'source' }, { name: 'target' }],
    standby: { enabled: true, broken: true },
    deliverTo: 'sink',
  });
  await using stack = await embeddedProvider.start(options);
  t.truthy(stack.endpoints.extra['submission-standby']);
  t.truthy(stack.endpoints.extra['smtp-standby']);
  t.is(stack.endpoints.extra['imap-source']?.port, stack.endpoints.imap.port);
  t.truthy(stack.endpoints.proxies['imap-target']);
  const client = createSmtpClient({ endpoints: stack.endpoints, ledger: options.ledger, metrics: options.metrics, clock: systemClock });
  const to = stack.directory!.addressAt(3);
  t.like(await client.send({ from: 'x@elsewhere.test', to: [to], flow: 'f' }), { ok: true });
  t.like(await client.send({ from: 'x@elsewhere.test', to: [to], endpoint: 'smtp-standby' }), { ok: false, code: 421 });
  t.true(await eventually(() => options.ledger.outstanding() === 0));
  t.is(options.metrics.total('sink.arrivals'), 1);
  await client.close();
});

test('a delivery target that does not exist is a clear input error', async (t) => {
  await t.throwsAsync(embeddedProvider.start(stackOptions({ deliverTo: 'nowhere' })), { message: /deliverTo "nowhere"/ });
});
