import test from 'ava';
import nodemailer from 'nodemailer';
import { ManualClock } from '../../engine/clock.ts';
import { MemoryEventLog } from '../../engine/events.ts';
import { FakeMta } from '../../fakes/smtp/fake-mta.ts';
import { RecordingMetrics } from '../ledger/recording-metrics.ts';
import { DOMAIN, MemoryTarget, eventually, stubDirectory } from './helpers.ts';

const LIST = `all@${DOMAIN}`;
const code = (error: unknown) => (error as { responseCode?: number }).responseCode;

test('load above the delivery rate builds a backlog, then 451 4.3.2 above the high-water mark', async (t) => {
  const target = new MemoryTarget();
  const metrics = new RecordingMetrics();
  await using mta = await new FakeMta({
    directory: stubDirectory(50, { [LIST]: 40 }),
    target,
    metrics,
    deliveryWorkers: 1,
    deliveryRatePerSec: 5,
    highWater: 60,
  }).start();
  const relay = nodemailer.createTransport({ host: '127.0.0.1', port: mta.port, ignoreTLS: true });
  const send = () => relay.sendMail({ from: 'x@elsewhere.test', to: LIST, subject: 's', text: 'b' });
  await send();
  await send();
  t.true(mta.queue.depth > 60, `backlog ${mta.queue.depth}`);
  t.true((metrics.last('mta.queue_depth') ?? 0) > 60);
  const refused = await t.throwsAsync(send());
  t.is(code(refused), 451);
  t.regex(refused?.message ?? '', /4\.3\.2/);
  t.true(target.deliveries.length < 80, 'the queue drains no faster than its rate');
  relay.close();
});

test('a sender over its per-minute limit gets 450 4.7.1', async (t) => {
  const clock = new ManualClock(0);
  await using mta = await new FakeMta({ directory: stubDirectory(), target: new MemoryTarget(), clock, perSenderPerMinute: 3 }).start();
  const relay = nodemailer.createTransport({ host: '127.0.0.1', port: mta.port, ignoreTLS: true });
  const send = (from: string) => relay.sendMail({ from, to: `user1@${DOMAIN}`, subject: 's', text: 'b' });
  for (let i = 0; i < 3; i++) await send('busy@elsewhere.test');
  const limited = await t.throwsAsync(send('busy@elsewhere.test'));
  t.is(code(limited), 450);
  t.regex(limited?.message ?? '', /4\.7\.1/);
  await send('quiet@elsewhere.test');
  clock.advance(60_000);
  await send('busy@elsewhere.test');
  relay.close();
});

test('storm protection blocks reply-alls to a big thread and records the event', async (t) => {
  const clock = new ManualClock(1_000_000);
  const events = new MemoryEventLog(0, () => clock.now());
  const target = new MemoryTarget();
  await using mta = await new FakeMta({
    directory: stubDirectory(30, { [LIST]: 25 }),
    target,
    clock,
    events,
    stormProtection: { minRecipients: 20, minReplyAlls: 3, windowMs: 60_000, blockMs: 3_600_000 },
  }).start();
  const relay = nodemailer.createTransport({ host: '127.0.0.1', port: mta.port, ignoreTLS: true });
  const reply = () =>
    relay.sendMail({ from: 'x@elsewhere.test', to: LIST, subject: 'Re: Test', inReplyTo: '<root@nhs.test>', references: '<root@nhs.test>', text: 'please remove me' });
  for (let i = 0; i < 3; i++) await reply();
  const blocked = await t.throwsAsync(reply());
  t.is(code(blocked), 550);
  t.regex(blocked?.message ?? '', /5\.7\.1 Reply-all storm protection/);
  t.is(events.all().filter((e) => e.type === 'storm_protection_engaged').length, 1);
  await relay.sendMail({ from: 'x@elsewhere.test', to: LIST, subject: 'Other topic', text: 'fine' });
  clock.advance(3_600_000);
  await reply();
  t.true(await eventually(() => target.deliveries.length === 5 * 25));
  relay.close();
});

test('storm protection is off by default', async (t) => {
  const target = new MemoryTarget();
  await using mta = await new FakeMta({ directory: stubDirectory(30, { [LIST]: 25 }), target }).start();
  const relay = nodemailer.createTransport({ host: '127.0.0.1', port: mta.port, ignoreTLS: true });
  for (let i = 0; i < 12; i++) await relay.sendMail({ from: 'x@elsewhere.test', to: LIST, subject: 'Re: Test', inReplyTo: '<root@nhs.test>', text: 'r' });
  t.true(await eventually(() => target.deliveries.length === 12 * 25));
  relay.close();
});
