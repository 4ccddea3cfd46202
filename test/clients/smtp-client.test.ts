import test from 'ava';
import { systemClock } from '../../engine/clock.ts';
import { createSmtpClient } from '../../engine/clients/smtp-client.ts';
import { MemoryLedger } from '../../engine/ledger/memory-ledger.ts';
import { ArrivalRecorder } from '../../fakes/sink/arrival-recorder.ts';
import { sinkTarget } from '../../fakes/sink/sink-target.ts';
import { FakeMta } from '../../fakes/smtp/fake-mta.ts';
import type { Endpoints } from '../../stack/types.ts';
import { DOMAIN, eventually, stubDirectory } from '../fakes-smtp/helpers.ts';
import { RecordingMetrics } from '../ledger/recording-metrics.ts';

function endpointsOf(mta: { relay: { host: string; port: number }; submission: { host: string; port: number } }): Endpoints {
  return { smtp: mta.relay, submission: mta.submission, imap: { host: '127.0.0.1', port: 1 }, activesync: '', toxiproxy: '', proxies: {}, extra: {} };
}

test('accepted mail is registered with the ledger, expanded, and reconciles once delivered', async (t) => {
  const metrics = new RecordingMetrics();
  const ledger = new MemoryLedger({ metrics, clock: systemClock });
  const directory = stubDirectory(20, { [`team@${DOMAIN}`]: 10 });
  await using mta = await new FakeMta({ directory, target: sinkTarget(new ArrivalRecorder(ledger, systemClock)), ledger }).start();
  const client = createSmtpClient({ endpoints: endpointsOf(mta), ledger, metrics, clock: systemClock, expand: (a) => directory.expand(a) });
  const results = await Promise.all([
    client.send({ from: `user1@${DOMAIN}`, to: [`team@${DOMAIN}`, `user15@${DOMAIN}`], auth: { user: `user1@${DOMAIN}`, pass: 'pw1' }, flow: 'background' }),
    client.send({ from: 'ext@elsewhere.test', to: [`user2@${DOMAIN}`], sizeBytes: 10_000, flow: 'inbound' }),
  ]);
  t.true(results.every((r) => r.ok && r.code === 250));
  t.not(results[0]?.id, results[1]?.id);
  t.true(await eventually(() => ledger.outstanding() === 0));
  t.like(ledger.reconcile({ final: true, now: Date.now() }), { expected: 12, delivered: 12, lost: 0, duplicated: 0, unexpected: 0 });
  t.is(metrics.total('smtp.accepted'), 2);
  t.is(metrics.total('delivery_latency', { flow: 'background' }), 11);
  await client.close();
});

test('a refused send is a result with its code, not a throw, and registers nothing', async (t) => {
  const metrics = new RecordingMetrics();
  const ledger = new MemoryLedger({ metrics, clock: systemClock });
  await using mta = await new FakeMta({ directory: stubDirectory(), target: sinkTarget(new ArrivalRecorder(ledger, systemClock)) }).start();
  const client = createSmtpClient({ endpoints: endpointsOf(mta), ledger, metrics, clock: systemClock, flow: 'f' });
  const badAuth = await client.send({ from: `user1@${DOMAIN}`, to: [`user2@${DOMAIN}`], auth: { user: `user1@${DOMAIN}`, pass: 'nope' } });
  t.like(badAuth, { ok: false, code: 535 });
  const unknown = await client.send({ from: 'x@elsewhere.test', to: [`ghost@${DOMAIN}`] });
  t.like(unknown, { ok: false, code: 550 });
  t.is(metrics.total('smtp.codes', { code: '535', flow: 'f' }), 1);
  t.is(metrics.total('smtp.rejected'), 2);
  t.is(ledger.reconcile({ final: true, now: Date.now() }).expected, 0);
  await client.close();
});

test('a connection failure is code 0', async (t) => {
  const metrics = new RecordingMetrics();
  const ledger = new MemoryLedger({ metrics, clock: systemClock });
  const mta = await new FakeMta({ directory: stubDirectory(), target: sinkTarget(new ArrivalRecorder(ledger, systemClock)) }).start();
  await mta.stop();
  const client = createSmtpClient({ endpoints: endpointsOf(mta), ledger, metrics, clock: systemClock });
  t.like(await client.send({ from: 'x@elsewhere.test', to: [`user2@${DOMAIN}`] }), { ok: false, code: 0 });
  await client.close();
});
