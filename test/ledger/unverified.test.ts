// A mailbox mailstorm could not read (a remote reconcile's failed login): the deliveries to it
// that were not found count as unverified, neither delivered nor lost; found ones stay delivered.
import test from 'ava';
import { ManualClock } from '../../engine/clock.ts';
import { MemoryLedger } from '../../engine/ledger/memory-ledger.ts';
import { RecordingMetrics } from './recording-metrics.ts';

test('missing deliveries to an unverifiable mailbox are unverified, per flow and in total, with the mailbox named', (t) => {
  const ledger = new MemoryLedger({ metrics: new RecordingMetrics(), clock: new ManualClock(0) });
  ledger.expect({ id: 'm1', flow: 'background', recipients: ['a@x.test', 'b@x.test', 'c@x.test'], acceptedAt: 0 });
  ledger.expect({ id: 'm2', flow: 'storm', recipients: ['b@x.test', 'c@x.test'], acceptedAt: 0 });
  ledger.arrived({ id: 'm1', recipient: 'a@x.test', at: 10 });
  ledger.arrived({ id: 'm2', recipient: 'B@x.test', at: 10 });
  t.deepEqual(Object.fromEntries(ledger.outstandingByRecipient()), { 'b@x.test': 1, 'c@x.test': 2 });
  // before anything is marked the summary has no unverified field at all
  t.false('unverified' in ledger.reconcile({ final: true, now: 20 }));
  ledger.unverified('B@x.test', 'login failed (AUTHENTICATIONFAILED)');
  const s = ledger.reconcile({ final: true, now: 20 });
  t.like(s, { expected: 5, delivered: 2, lost: 2, unverified: 1, unverifiedMailboxes: { 'b@x.test': 'login failed (AUTHENTICATIONFAILED)' } });
  t.like(s.byFlow['background'], { expected: 3, delivered: 1, lost: 1, unverified: 1 });
  t.like(s.byFlow['storm'], { expected: 2, delivered: 1, lost: 1, unverified: 0 });
  t.deepEqual(s.samples.lost.sort(), ['m1 -> c@x.test', 'm2 -> c@x.test']);
  // not final: still queued, nothing unverified yet
  t.like(ledger.reconcile({ final: false, now: 20 }), { queued: 3, lost: 0, unverified: 0 });
});
