import test from 'ava';
import { systemClock } from '../../engine/clock.ts';
import { createSmtpClient } from '../../engine/clients/smtp-client.ts';
import { MemoryLedger } from '../../engine/ledger/memory-ledger.ts';
import { ArrivalRecorder, sinkTarget } from '../../fakes/sink/index.ts';
import { FakeMta } from '../../fakes/smtp/fake-mta.ts';
import { DeliveryError, type DeliveryTarget } from '../../fakes/smtp/types.ts';
import { DOMAIN, eventually, stubDirectory } from '../fakes-smtp/helpers.ts';
import { RecordingMetrics } from './recording-metrics.ts';

test('real mail through the MTA reconciles: delivered once, lost, duplicated, bounced, queued', async (t) => {
  const metrics = new RecordingMetrics();
  const ledger = new MemoryLedger({ metrics, clock: systemClock });
  const sink = sinkTarget(new ArrivalRecorder(ledger, systemClock));
  // A deliberately faulty delivery path: user3 loses mail, user4 gets it twice, user5 bounces, user6 is held.
  const held: (() => void)[] = [];
  const faulty: DeliveryTarget = {
    name: 'faulty',
    deliver(recipient, message) {
      if (recipient === `user3@${DOMAIN}`) return;
      if (recipient === `user5@${DOMAIN}`) throw new DeliveryError('5.2.2 mailbox full', true);
      if (recipient === `user6@${DOMAIN}`) return new Promise<void>((resolve) => held.push(resolve));
      sink.deliver(recipient, message);
      if (recipient === `user4@${DOMAIN}`) sink.deliver(recipient, message);
    },
  };
  const directory = stubDirectory(10, { [`team@${DOMAIN}`]: 7 });
  await using mta = await new FakeMta({ directory, target: faulty, ledger }).start();
  const endpoints = { smtp: mta.relay, submission: mta.submission, imap: mta.relay, activesync: '', toxiproxy: '', proxies: {}, extra: {} };
  const client = createSmtpClient({ endpoints, ledger, metrics, clock: systemClock, expand: (a) => directory.expand(a) });
  t.like(await client.send({ from: 'x@elsewhere.test', to: [`team@${DOMAIN}`], flow: 'storm' }), { ok: true });
  t.true(await eventually(() => held.length === 1 && ledger.outstanding() === 2));

  const live = ledger.reconcile({ final: false, now: Date.now() });
  t.like(live, { expected: 7, delivered: 4, duplicated: 1, bounced: 1, queued: 2, lost: 0 });
  const final = ledger.reconcile({ final: true, now: Date.now() });
  t.like(final, { delivered: 4, duplicated: 1, bounced: 1, lost: 2, queued: 0 });
  t.deepEqual(final.bounceReasons, { '5.2.2 mailbox full': 1 });
  t.true(final.samples.lost.some((s) => s.endsWith(`user3@${DOMAIN}`)));
  for (const release of held) release();
  await client.close();
});
