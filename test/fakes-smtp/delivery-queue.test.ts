import test from 'ava';
import { systemClock } from '../../engine/clock.ts';
import { MemoryLedger } from '../../engine/ledger/memory-ledger.ts';
import { DeliveryQueue } from '../../fakes/smtp/delivery-queue.ts';
import { DeliveryError, type DeliveryTarget } from '../../fakes/smtp/types.ts';
import { RecordingMetrics } from '../ledger/recording-metrics.ts';

test('permanent failures bounce to the ledger, transient ones are retried', async (t) => {
  const metrics = new RecordingMetrics();
  const ledger = new MemoryLedger({ metrics, clock: systemClock });
  const attempts = new Map<string, number>();
  const target: DeliveryTarget = {
    name: 'flaky',
    async deliver(recipient) {
      const n = (attempts.get(recipient) ?? 0) + 1;
      attempts.set(recipient, n);
      if (recipient.startsWith('gone')) throw new DeliveryError('5.1.1 mailbox gone', true);
      if (recipient.startsWith('flaky') && n < 2) throw new DeliveryError('4.2.1 try later', false);
      if (recipient.startsWith('down')) throw new Error('connection refused');
      ledger.arrived({ id: 'm', recipient, at: Date.now() });
    },
  };
  const queue = new DeliveryQueue({ target, clock: systemClock, ledger, metrics, maxAttempts: 3 });
  const recipients = ['ok@nhs.test', 'gone@nhs.test', 'flaky@nhs.test', 'down@nhs.test'];
  ledger.expect({ id: 'm', flow: 'f', recipients, acceptedAt: Date.now() });
  queue.enqueue({ raw: Buffer.from('Subject: x\r\n\r\n'), from: 'a@nhs.test', acceptedAt: 0, ledgerId: 'm' }, recipients);
  await queue.idle();
  queue.stop();
  t.is(attempts.get('flaky@nhs.test'), 2);
  t.is(attempts.get('down@nhs.test'), 3);
  const summary = ledger.reconcile({ final: true, now: Date.now() });
  t.like(summary, { delivered: 2, bounced: 2, lost: 0 });
  t.deepEqual(summary.bounceReasons, { '5.1.1 mailbox gone': 1, 'connection refused': 1 });
});
