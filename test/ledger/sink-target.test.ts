import test from 'ava';
import { systemClock } from '../../engine/clock.ts';
import type { Arrival, Ledger } from '../../engine/ledger/types.ts';
import { ArrivalRecorder, sinkTarget } from '../../fakes/sink/index.ts';

test('the in-process sink accounts a delivery by the ledger id the MTA queued it with, not by re-reading headers', (t) => {
  const arrivals: Arrival[] = [];
  const ledger = { arrived: (a: Arrival) => arrivals.push(a) } as unknown as Ledger;
  const target = sinkTarget(new ArrivalRecorder(ledger, systemClock));
  // The raw message carries a different header: the queued id is what counts.
  const raw = Buffer.from('X-Mailstorm-Id: from-header\r\nMessage-ID: <header@x>\r\n\r\nbody\r\n');
  const message = { raw, ledgerId: 'queued-1', messageId: '<queued@x>', from: 'a@nhs.test', acceptedAt: 0 };
  target.deliver('b@nhs.test', message);
  target.deliver('c@nhs.test', message);
  t.deepEqual(arrivals.map((a) => [a.id, a.recipient, a.messageId, a.store]), [
    ['queued-1', 'b@nhs.test', '<queued@x>', 'sink'],
    ['queued-1', 'c@nhs.test', '<queued@x>', 'sink'],
  ]);
});
