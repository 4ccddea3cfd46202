// Mail submitted with SASL through real Postfix reaches mailstorm's ledger sink (LMTP) and,
// with delivery to Dovecot, a real mailbox read back over IMAP.
import test from 'ava';
import nodemailer from 'nodemailer';
import { ImapFlow } from 'imapflow';
import { LEDGER_HEADER } from '../../engine/ledger/types.ts';
import { dockerProvider } from '../../stack/docker/index.ts';
import { eventually, imagesReady, leftovers, SMALL_POPULATION, stackOptions } from './helpers.ts';

test.before(async () => {
  await imagesReady();
});

test.after.always('no container or network labelled mailstorm is left', async (t) => {
  t.deepEqual(await leftovers(), []);
});

function submit(port: number, user: string, pass: string) {
  return nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, auth: { user, pass } });
}

test('submission with SASL through Postfix is delivered to the ledger sink', async (t) => {
  const options = await stackOptions({ population: SMALL_POPULATION, lists: [{ address: 'everyone@nhs.test', members: 'all' }] });
  await using stack = await dockerProvider.start(options);
  const dir = stack.directory!;
  const alice = dir.user(dir.addressAt(0))!;
  const to = dir.addressAt(1);
  options.ledger.expect({ id: 'm-1', flow: 'test', recipients: [to], acceptedAt: Date.now() });
  options.ledger.expect({ id: 'm-list', flow: 'test', recipients: dir.expand('everyone@nhs.test')!, acceptedAt: Date.now() });
  const transport = submit(stack.endpoints.submission.port, alice.address, alice.password);
  await transport.sendMail({ from: alice.address, to, subject: 'one', text: 'hello', headers: { [LEDGER_HEADER]: 'm-1' } });
  await transport.sendMail({ from: alice.address, to: 'everyone@nhs.test', subject: 'list', text: 'all', headers: { [LEDGER_HEADER]: 'm-list' } });
  transport.close();
  t.true(await eventually(() => options.ledger.outstanding() === 0), 'every expected delivery arrived');
  const summary = options.ledger.reconcile({ final: true, now: Date.now() });
  t.is(summary.delivered, 1 + dir.userCount);
  t.is(summary.lost, 0);
  t.is(summary.duplicated, 0);
  t.true(stack.description.components.some((c) => c.name === 'postfix' && /^3\./.test(c.version ?? '') && c.digest?.startsWith('sha256:')));
});

test('a wrong password is refused by real SASL with 535', async (t) => {
  const options = await stackOptions({ population: SMALL_POPULATION });
  await using stack = await dockerProvider.start(options);
  const alice = stack.directory!.addressAt(0);
  const transport = submit(stack.endpoints.submission.port, alice, 'not-the-password');
  const error = await t.throwsAsync(transport.sendMail({ from: alice, to: stack.directory!.addressAt(1), text: 'x' }));
  t.is((error as Error & { responseCode?: number }).responseCode, 535);
  transport.close();
});

test('with delivery to Dovecot, the message is fetched over IMAP', async (t) => {
  const options = await stackOptions({ population: SMALL_POPULATION, deliverTo: 'main' });
  await using stack = await dockerProvider.start(options);
  const dir = stack.directory!;
  const alice = dir.user(dir.addressAt(0))!;
  const bob = dir.user(dir.addressAt(1))!;
  const transport = submit(stack.endpoints.submission.port, alice.address, alice.password);
  await transport.sendMail({ from: alice.address, to: bob.address, subject: 'for bob', text: 'hi', headers: { [LEDGER_HEADER]: 'm-imap' } });
  transport.close();
  const imap = new ImapFlow({ host: '127.0.0.1', port: stack.endpoints.imap.port, secure: false, auth: { user: bob.address, pass: bob.password }, logger: false });
  await imap.connect();
  try {
    t.true(await eventually(async () => {
      const status = await imap.status('INBOX', { messages: true });
      return status !== false && status.messages === 1;
    }, 40), 'the message reached the mailbox');
    const lock = await imap.getMailboxLock('INBOX');
    try {
      const message = await imap.fetchOne('1', { headers: [LEDGER_HEADER] });
      t.regex(message ? message.headers?.toString() ?? '' : '', /m-imap/);
    } finally {
      lock.release();
    }
  } finally {
    await imap.logout();
  }
});
