import test from 'ava';
import nodemailer from 'nodemailer';
import { systemClock } from '../../engine/clock.ts';
import { MemoryLedger } from '../../engine/ledger/memory-ledger.ts';
import { FakeSink } from '../../fakes/sink/fake-sink.ts';
import { FakeMta } from '../../fakes/smtp/fake-mta.ts';
import { relayTarget } from '../../fakes/smtp/relay-target.ts';
import { RecordingMetrics } from '../ledger/recording-metrics.ts';
import { DOMAIN, eventually, stubDirectory } from './helpers.ts';

test('the MTA relays each delivery over LMTP to the sink, which records it in the ledger', async (t) => {
  const ledger = new MemoryLedger({ metrics: new RecordingMetrics(), clock: systemClock });
  await using sink = await new FakeSink({ ledger, lmtp: true }).start();
  const target = relayTarget({ host: sink.host, port: sink.port, lmtp: true });
  await using mta = await new FakeMta({ directory: stubDirectory(10, { [`team@${DOMAIN}`]: 5 }), target, ledger }).start();
  const client = nodemailer.createTransport({ host: '127.0.0.1', port: mta.port, ignoreTLS: true });
  await client.sendMail({ from: 'x@elsewhere.test', to: `team@${DOMAIN}`, subject: 's', text: 'b', headers: { 'X-Mailstorm-Id': 'relay-1' } });
  ledger.expect({ id: 'relay-1', flow: 'f', recipients: Array.from({ length: 5 }, (_, i) => `user${i}@${DOMAIN}`), acceptedAt: Date.now() });
  t.true(await eventually(() => ledger.outstanding() === 0));
  t.like(ledger.reconcile({ final: true, now: Date.now() }), { delivered: 5, duplicated: 0, lost: 0 });
  client.close();
  target.close();
});

test('a next hop that is down makes deliveries bounce after the retries', async (t) => {
  const ledger = new MemoryLedger({ metrics: new RecordingMetrics(), clock: systemClock });
  const sink = await new FakeSink({ ledger }).start();
  await sink.stop();
  const target = relayTarget({ host: sink.host, port: sink.port });
  await using mta = await new FakeMta({ directory: stubDirectory(), target, ledger }).start();
  ledger.expect({ id: 'down-1', flow: 'f', recipients: [`user1@${DOMAIN}`], acceptedAt: Date.now() });
  const client = nodemailer.createTransport({ host: '127.0.0.1', port: mta.port, ignoreTLS: true });
  await client.sendMail({ from: 'x@elsewhere.test', to: `user1@${DOMAIN}`, subject: 's', text: 'b', headers: { 'X-Mailstorm-Id': 'down-1' } });
  t.true(await eventually(() => ledger.outstanding() === 0));
  t.like(ledger.reconcile({ final: true, now: Date.now() }), { bounced: 1, lost: 0 });
  client.close();
  target.close();
});
