import test from 'ava';
import { ManualClock } from '../../engine/clock.ts';
import { MemoryLedger } from '../../engine/ledger/memory-ledger.ts';
import { RecordingMetrics } from './recording-metrics.ts';

function setup(lateAfterMs = 1000) {
  const metrics = new RecordingMetrics();
  const ledger = new MemoryLedger({ metrics, clock: new ManualClock(0), lateAfterMs });
  return { metrics, ledger };
}

test('reconciles delivered once, lost, duplicated, queued and bounced', (t) => {
  const { ledger, metrics } = setup();
  ledger.expect({ id: 'm1', flow: 'background', recipients: ['a@x.test', 'b@x.test', 'c@x.test', 'd@x.test'], acceptedAt: 100 });
  ledger.expect({ id: 'm2', flow: 'storm', recipients: ['a@x.test', 'b@x.test'], acceptedAt: 100 });
  ledger.arrived({ id: 'm1', recipient: 'a@x.test', at: 150 });
  ledger.arrived({ id: 'm1', recipient: 'B@X.test', at: 160 });
  ledger.arrived({ id: 'm1', recipient: 'b@x.test', at: 170 }); // duplicate
  ledger.bounced('m1', 'c@x.test', 'mailbox full', 180);
  ledger.arrived({ id: 'm2', recipient: 'a@x.test', at: 5000 }); // late
  ledger.arrived({ id: 'nope', recipient: 'a@x.test', at: 200 });

  t.is(ledger.outstanding(), 2);
  const live = ledger.reconcile({ final: false, now: 6000 });
  t.like(live, { expected: 6, delivered: 3, duplicated: 1, bounced: 1, queued: 2, lost: 0, late: 1 });
  t.like(live.byFlow.background, { expected: 4, delivered: 2, duplicated: 1, bounced: 1, queued: 1 });
  t.deepEqual(live.bounceReasons, { 'mailbox full': 1 });

  const final = ledger.reconcile({ final: true, now: 7000 });
  t.like(final, { lost: 2, queued: 0, unexpected: 1, final: true });
  t.like(final.byFlow.storm, { expected: 2, delivered: 1, lost: 1, late: 1 });
  t.deepEqual(final.samples.duplicated, ['m1 -> b@x.test']);
  t.is(final.samples.lost.length, 2);
  t.is(metrics.total('delivery_latency', { flow: 'background' }), 2);
  // The ledger's figures become metrics in one place, the run's record-ledger task, never here.
  t.is(metrics.total('mail_duplicated'), 0);
  t.is(metrics.total('mail_lost'), 0);
});

test('arrivals before the expectation are applied when it comes', (t) => {
  const { ledger } = setup();
  ledger.arrived({ id: 'early', recipient: 'a@x.test', at: 10 });
  ledger.expect({ id: 'early', flow: 'f', recipients: ['a@x.test'], acceptedAt: 20 });
  t.like(ledger.reconcile({ final: true, now: 30 }), { delivered: 1, lost: 0, unexpected: 0 });
});

test('a list expansion with repeated recipients is counted per delivery', (t) => {
  const { ledger } = setup();
  const members = Array.from({ length: 1000 }, (_, i) => `u${i}@x.test`);
  ledger.expect({ id: 'list', flow: 'storm', recipients: [...members, 'u1@x.test'], acceptedAt: 0 });
  for (const m of members) ledger.arrived({ id: 'list', recipient: m, at: 1 });
  ledger.arrived({ id: 'list', recipient: 'u1@x.test', at: 2 });
  t.like(ledger.reconcile({ final: true, now: 3 }), { expected: 1001, delivered: 1001, duplicated: 0, lost: 0 });
});

test('expecting one id twice is refused', (t) => {
  const { ledger } = setup();
  ledger.expect({ id: 'x', flow: 'f', recipients: ['a@x.test'], acceptedAt: 0 });
  t.throws(() => ledger.expect({ id: 'x', flow: 'f', recipients: ['a@x.test'], acceptedAt: 0 }), { message: /already expected/ });
});

test('messages sharing one list array reconcile independently', (t) => {
  const { ledger } = setup();
  const members = Array.from({ length: 600 }, (_, i) => `m${599 - i}@x.test`);
  ledger.expect({ id: 'r1', flow: 'storm', recipients: members, acceptedAt: 0 });
  ledger.expect({ id: 'r2', flow: 'storm', recipients: members, acceptedAt: 0 });
  for (const m of members) ledger.arrived({ id: 'r2', recipient: m, at: 1 });
  ledger.arrived({ id: 'r1', recipient: 'm5@x.test', at: 1 });
  t.like(ledger.reconcile({ final: true, now: 2 }), { expected: 1200, delivered: 601, lost: 599, duplicated: 0, unexpected: 0 });
});

test('a bounce after the arrival does not undo it', (t) => {
  const { ledger } = setup();
  ledger.expect({ id: 'b', flow: 'f', recipients: ['a@x.test'], acceptedAt: 0 });
  ledger.arrived({ id: 'b', recipient: 'a@x.test', at: 1 });
  ledger.bounced('b', 'a@x.test', 'late bounce', 2);
  t.is(ledger.outstanding(), 0);
  t.like(ledger.reconcile({ final: true, now: 3 }), { delivered: 1, bounced: 0, lost: 0 });
});

test('a failed send that arrives anyway is delivered after failure, counted once per recipient, never unexpected or expected', (t) => {
  const { ledger } = setup();
  ledger.attempt({ id: 'early', flow: 'storm' });
  ledger.attempt({ id: 'late', flow: 'storm' });
  ledger.attempt({ id: 'ok', flow: 'background' });
  ledger.attempt({ id: 'gone', flow: 'background' });
  // the stack delivered before the client learnt its send had failed
  ledger.arrived({ id: 'early', recipient: 'a@x.test', at: 10 });
  ledger.arrived({ id: 'early', recipient: 'b@x.test', at: 10 });
  ledger.failed('early');
  ledger.failed('late');
  ledger.failed('gone');
  ledger.arrived({ id: 'late', recipient: 'A@x.test', at: 20 });
  ledger.arrived({ id: 'late', recipient: 'a@x.test', at: 21 }); // the same delivery reported twice
  ledger.bounced('gone', 'c@x.test', 'mailbox full', 22); // the sender already knows it failed
  ledger.expect({ id: 'ok', flow: 'background', recipients: ['c@x.test'], acceptedAt: 5 });
  ledger.arrived({ id: 'ok', recipient: 'c@x.test', at: 30 });
  ledger.arrived({ id: 'never-issued', recipient: 'c@x.test', at: 30 });
  ledger.failed('never-attempted'); // a no-op
  const summary = ledger.reconcile({ final: true, now: 100 });
  t.like(summary, { expected: 1, delivered: 1, lost: 0, bounced: 0, deliveredAfterFailure: 3, unexpected: 1 });
  t.like(summary.byFlow['storm'], { expected: 0, deliveredAfterFailure: 3 });
  t.like(summary.byFlow['background'], { expected: 1, deliveredAfterFailure: 0 });
  t.deepEqual(summary.bounceReasons, {});
  t.deepEqual(summary.samples.deliveredAfterFailure, ['early -> a@x.test', 'early -> b@x.test', 'late -> A@x.test']);
});
