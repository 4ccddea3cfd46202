import test from 'ava';
import { ManualClock, systemClock } from '../../engine/clock.ts';
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

// The pace shortfall is what the rig reads to tell an embedded MTA starved of CPU from a slow
// stack. A manual pacing clock makes each gap between pumps exact; real timers still run them.
const settle = () => new Promise((resolve) => setTimeout(resolve, 30));
const recipients = (n: number) => Array.from({ length: n }, (_, i) => `u${i}@nhs.test`);
const raw = { raw: Buffer.from('Subject: x\r\n\r\n'), from: 'a@nhs.test', acceptedAt: 0 };

function pacedQueue(target: DeliveryTarget, workers?: number) {
  const metrics = new RecordingMetrics();
  const pacing = new ManualClock(1_000);
  const queue = new DeliveryQueue({ target, clock: systemClock, pacingClock: pacing, metrics, ratePerSec: 10_000, ...(workers !== undefined && { workers }) });
  return { metrics, pacing, queue };
}

test('capacity that expires while the queue waits on its event loop is counted as pace shortfall', async (t) => {
  let delivered = 0;
  const { metrics, pacing, queue } = pacedQueue({ name: 'count', deliver: () => void delivered++ });
  queue.enqueue(raw, recipients(50_000));
  await settle(); // first pump: no tokens yet, owed
  pacing.advance(500); // the pump ran 500 ms late: 5,000 earned, a tenth of a second (1,000) kept
  await settle();
  t.is(delivered, 1_000);
  t.is(metrics.total('mta.pace_shortfall'), 4_000);
  pacing.advance(50); // on time: 500 earned, none lost
  await settle();
  t.is(delivered, 1_500);
  t.is(metrics.total('mta.pace_shortfall'), 4_000);
  t.is(metrics.total('mta.delivered'), 1_500);
  queue.stop();
});

test('an idle queue, or one whose workers all wait on the target, loses no pace', async (t) => {
  let delivered = 0;
  const { metrics, pacing, queue } = pacedQueue({ name: 'count', deliver: () => void delivered++ });
  pacing.advance(500); // nothing queued: 5,000 earned, 1,000 kept, none of it owed
  queue.enqueue(raw, recipients(10));
  await settle();
  t.is(delivered, 10);
  t.is(metrics.total('mta.pace_shortfall'), 0);
  queue.stop();

  const pending: (() => void)[] = [];
  const slow = pacedQueue({ name: 'slow', deliver: () => new Promise<void>((resolve) => pending.push(resolve)) }, 2);
  slow.queue.enqueue(raw, recipients(100));
  slow.pacing.advance(1); // 10 tokens: both workers busy
  await settle();
  t.is(pending.length, 2);
  slow.pacing.advance(500); // the target holds them for 500 ms: its slowness, not the harness's
  for (const resolve of pending.splice(0)) resolve();
  await settle();
  t.is(pending.length, 2, 'the freed workers took the next two');
  t.is(slow.metrics.total('mta.pace_shortfall'), 0);
  t.is(slow.metrics.total('mta.delivered'), 2);
  slow.queue.stop();
});
