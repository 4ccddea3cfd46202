import test from 'ava';
import nodemailer from 'nodemailer';
import { systemClock } from '../../engine/clock.ts';
import { MemoryLedger } from '../../engine/ledger/memory-ledger.ts';
import type { Arrival } from '../../engine/ledger/types.ts';
import { FakeSink } from '../../fakes/sink/fake-sink.ts';
import { RecordingMetrics } from './recording-metrics.ts';

for (const lmtp of [false, true]) {
  test(`the sink records each recipient's arrival over ${lmtp ? 'LMTP' : 'SMTP'}`, async (t) => {
    const ledger = new MemoryLedger({ metrics: new RecordingMetrics(), clock: systemClock });
    const seen: Arrival[] = [];
    const arrived = ledger.arrived.bind(ledger);
    ledger.arrived = (a) => (seen.push(a), arrived(a));
    await using sink = await new FakeSink({ ledger, lmtp }).start();
    ledger.expect({ id: 'msg-1', flow: 'background', recipients: ['a@nhs.test', 'b@nhs.test'], acceptedAt: Date.now() });
    const client = nodemailer.createTransport({ host: '127.0.0.1', port: sink.port, lmtp, ignoreTLS: true });
    await client.sendMail({
      from: 'x@nhs.test',
      to: ['a@nhs.test', 'b@nhs.test'],
      subject: 'hi',
      messageId: '<m1@nhs.test>',
      headers: { 'X-Mailstorm-Id': 'msg-1' },
      text: 'x'.repeat(200_000),
    });
    await client.sendMail({ from: 'x@nhs.test', to: 'c@nhs.test', subject: 'stray', text: 'no id' });
    t.deepEqual(seen.map((a) => [a.id, a.recipient, a.messageId, a.store]), [
      ['msg-1', 'a@nhs.test', '<m1@nhs.test>', 'sink'],
      ['msg-1', 'b@nhs.test', '<m1@nhs.test>', 'sink'],
      ['', 'c@nhs.test', seen[2]?.messageId, 'sink'],
    ]);
    t.like(ledger.reconcile({ final: true, now: Date.now() }), { expected: 2, delivered: 2, lost: 0, unexpected: 1 });
    client.close();
  });
}
