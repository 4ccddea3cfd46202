import test from 'ava';
import nodemailer from 'nodemailer';
import { FakeMta } from '../../fakes/smtp/fake-mta.ts';
import { DOMAIN, MemoryTarget, eventually, stubDirectory } from './helpers.ts';

function transport(port: number, user: string, pass: string) {
  return nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, auth: { user, pass } });
}

const mail = (to: string | string[]) => ({ from: `user1@${DOMAIN}`, to, subject: 'hello', text: 'body', headers: { 'X-Mailstorm-Id': 'id-1' } });

test('submission with the right password is accepted and delivered', async (t) => {
  const target = new MemoryTarget();
  await using mta = await new FakeMta({ directory: stubDirectory(), target }).start();
  const info = await transport(mta.submission.port, `user1@${DOMAIN}`, 'pw1').sendMail(mail(`user2@${DOMAIN}`));
  t.deepEqual(info.accepted, [`user2@${DOMAIN}`]);
  t.true(await eventually(() => target.deliveries.length === 1));
  t.is(target.deliveries[0]?.message.ledgerId, 'id-1');
});

test('a bad password gets 535, a locked account gets 535 even with the right password', async (t) => {
  const directory = stubDirectory();
  directory.locked.add(`user3@${DOMAIN}`);
  await using mta = await new FakeMta({ directory, target: new MemoryTarget() }).start();
  const bad = await t.throwsAsync(transport(mta.submission.port, `user1@${DOMAIN}`, 'wrong').sendMail(mail(`user2@${DOMAIN}`)));
  t.is((bad as { responseCode?: number }).responseCode, 535);
  const locked = await t.throwsAsync(transport(mta.submission.port, `user3@${DOMAIN}`, 'pw3').sendMail(mail(`user2@${DOMAIN}`)));
  t.is((locked as { responseCode?: number }).responseCode, 535);
  t.regex(locked?.message ?? '', /locked/);
});

test('submission without AUTH is refused', async (t) => {
  await using mta = await new FakeMta({ directory: stubDirectory(), target: new MemoryTarget() }).start();
  const plain = nodemailer.createTransport({ host: '127.0.0.1', port: mta.submission.port, ignoreTLS: true });
  const error = await t.throwsAsync(plain.sendMail(mail(`user2@${DOMAIN}`)));
  t.is((error as { responseCode?: number }).responseCode, 530);
});

test('relay port takes mail for the domain, denies relaying and unknown users', async (t) => {
  const target = new MemoryTarget();
  await using mta = await new FakeMta({ directory: stubDirectory(10, { [`all@${DOMAIN}`]: 7 }), target }).start();
  const relay = nodemailer.createTransport({ host: '127.0.0.1', port: mta.port, ignoreTLS: true });
  await relay.sendMail({ ...mail([`all@${DOMAIN}`, `user9@${DOMAIN}`]), from: 'someone@elsewhere.test' });
  t.true(await eventually(() => target.deliveries.length === 8));
  t.is(new Set(target.deliveries.map((d) => d.message)).size, 1, 'the message is stored once for all deliveries');

  const unknown = await t.throwsAsync(relay.sendMail(mail(`nobody@${DOMAIN}`)));
  t.is((unknown as { responseCode?: number }).responseCode, 550);
  t.regex(unknown?.message ?? '', /5\.1\.1/);
  const denied = await t.throwsAsync(relay.sendMail(mail('someone@elsewhere.test')));
  t.is((denied as { responseCode?: number }).responseCode, 554);
  relay.close();
});
