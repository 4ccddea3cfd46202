import test from 'ava';
import { FakeMta } from '../../fakes/smtp/fake-mta.ts';
import { DOMAIN, MemoryTarget, eventually, stubDirectory } from './helpers.ts';
import { RawSmtp } from './raw-smtp.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');

test('malformed commands get syntax errors and the session goes on', async (t) => {
  await using mta = await new FakeMta({ directory: stubDirectory(), target: new MemoryTarget() }).start();
  const smtp = await RawSmtp.connect(mta.port);
  t.regex(await smtp.reply(), /^220 /);
  t.regex(await smtp.command('EHLO client.test'), /^250/);
  t.regex(await smtp.command('MAIL FROM'), /^501 /);
  t.regex(await smtp.command('RCPT TO:<user1@nhs.test>'), /^503 /);
  t.regex(await smtp.command('FROBNICATE now'), /^500 /);
  t.regex(await smtp.command('MAIL FROM:<a@elsewhere.test>'), /^250 /);
  t.regex(await smtp.command('RCPT TO:<user1@nhs.test>'), /^250 /);
  smtp.destroy();
});

test('bad base64 in AUTH gets a 5xx reply, not a crash', async (t) => {
  await using mta = await new FakeMta({ directory: stubDirectory(), target: new MemoryTarget() }).start();
  const smtp = await RawSmtp.connect(mta.submission.port);
  await smtp.reply();
  t.regex(await smtp.command('EHLO client.test'), /AUTH PLAIN LOGIN/);
  t.regex(await smtp.command('AUTH PLAIN %%%not-base64***'), /^5\d\d /);
  t.regex(await smtp.command('AUTH LOGIN'), /^334 /);
  t.regex(await smtp.command('!!!'), /^5\d\d /);
  t.regex(await smtp.command(`AUTH PLAIN ${b64(`\0user1@${DOMAIN}\0pw1`)}`), /^235 /);
  smtp.destroy();
});

test('a client leaving mid-DATA loses nothing already accepted and others are still served', async (t) => {
  const target = new MemoryTarget();
  await using mta = await new FakeMta({ directory: stubDirectory(), target }).start();
  const smtp = await RawSmtp.connect(mta.port);
  await smtp.reply();
  await smtp.command('EHLO client.test');
  await smtp.command('MAIL FROM:<a@elsewhere.test>');
  await smtp.command('RCPT TO:<user1@nhs.test>');
  t.regex(await smtp.command('DATA'), /^354/);
  t.regex(await smtp.command('X-Mailstorm-Id: first\r\nSubject: one\r\n\r\nbody\r\n.'), /^250 /);
  await smtp.command('MAIL FROM:<a@elsewhere.test>');
  await smtp.command('RCPT TO:<user2@nhs.test>');
  t.regex(await smtp.command('DATA'), /^354/);
  smtp.write('X-Mailstorm-Id: second\r\nSubject: two\r\n\r\nhalf a bo');
  smtp.destroy();

  const other = await RawSmtp.connect(mta.port);
  t.regex(await other.reply(), /^220 /);
  await other.command('HELO other.test');
  t.regex(await other.command('MAIL FROM:<b@elsewhere.test>'), /^250 /);
  other.destroy();
  t.true(await eventually(() => target.deliveries.length === 1));
  t.is(target.deliveries[0]?.message.ledgerId, 'first');
});

test('SIZE is advertised and a bigger message gets 552', async (t) => {
  const target = new MemoryTarget();
  await using mta = await new FakeMta({ directory: stubDirectory(), target, maxMessageBytes: 1000 }).start();
  const smtp = await RawSmtp.connect(mta.port);
  await smtp.reply();
  t.regex(await smtp.command('EHLO client.test'), /SIZE 1000/);
  await smtp.command('MAIL FROM:<a@elsewhere.test>');
  await smtp.command('RCPT TO:<user1@nhs.test>');
  await smtp.command('DATA');
  t.regex(await smtp.command(`Subject: big\r\n\r\n${'x'.repeat(3000)}\r\n.`), /^552 /);
  t.regex(await smtp.command('MAIL FROM:<a@elsewhere.test>'), /^250 /, 'the session survives');
  smtp.destroy();
  t.is(target.deliveries.length, 0);
});

test('a broken MTA answers 421', async (t) => {
  await using mta = await new FakeMta({ directory: stubDirectory(), target: new MemoryTarget(), broken: true }).start();
  const smtp = await RawSmtp.connect(mta.port);
  t.regex(await smtp.reply(), /^421 /);
  smtp.destroy();
});

test('a client that resets its connection mid-session does not take the server down', async (t) => {
  await using mta = await new FakeMta({ directory: stubDirectory(), target: new MemoryTarget() }).start();
  for (let i = 0; i < 5; i++) {
    const rude = await RawSmtp.connect(mta.port);
    await rude.reply();
    rude.write('EHLO client.test\r\nMAIL FROM:<a@elsewhere.test>\r\nRCPT TO:<user1@nhs.test>\r\nDATA\r\n');
    rude.reset();
  }
  const smtp = await RawSmtp.connect(mta.port);
  t.regex(await smtp.reply(), /^220 /);
  t.regex(await smtp.command('EHLO client.test'), /^250/);
  smtp.destroy();
});
