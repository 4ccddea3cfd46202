import test from 'ava';
import { createHash } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import { ManualClock } from '../../engine/clock.ts';
import { seededRandom } from '../../engine/random.ts';
import { Directory } from '../../directory/index.ts';
import { FakeImapServer, MailStore } from '../../fakes/mailstore/index.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('a mover copies a seeded mailbox between two stores over IMAP; bytes, flags and dates survive', async (t) => {
  const clock = new ManualClock(1_700_000_000_000);
  const random = seededRandom(5);
  const directory = new Directory({ clock, random, population: { organisations: [{ name: 'Trust', users: 5 }] } });
  const source = new MailStore({ name: 'source', clock, random, seed: { median: 60, sigma: 0.1, sizeMedianBytes: 30_000, sizeSigma: 0.3 } });
  const target = new MailStore({ name: 'target', clock, random });
  await using src = await new FakeImapServer({ store: source, directory, clock }).start();
  await using dst = await new FakeImapServer({ store: target, directory, clock }).start();
  const user = directory.user(directory.addressAt(1))!;
  source.mailbox(user.address, 'INBOX')!.messages[3]!.flags.add('\\Flagged');
  const open = (port: number) => new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user: user.address, pass: user.password }, logger: false });
  const from = open(src.port);
  const to = open(dst.port);
  await from.connect();
  await to.connect();
  try {
    await from.mailboxOpen('INBOX', { readOnly: true });
    let copied = 0;
    // One UID FETCH 1:* of the whole mailbox (about 2 MB): the server must pace it to the reader.
    for await (const m of from.fetch('1:*', { uid: true, flags: true, internalDate: true, source: true }, { uid: true })) {
      await to.append('INBOX', m.source!, [...(m.flags ?? [])], m.internalDate as Date);
      copied++;
    }
    const original = source.mailbox(user.address, 'INBOX')!.messages;
    const copy = target.mailbox(user.address, 'INBOX')!.messages;
    t.is(copied, original.length);
    t.true(original.length >= 40);
    t.deepEqual(copy.map((m) => sha(m.raw())), original.map((m) => sha(m.raw())));
    t.deepEqual(copy.map((m) => [...m.flags].sort().join()), original.map((m) => [...m.flags].sort().join()));
    t.deepEqual(copy.map((m) => Math.floor(m.internalDate / 1000)), original.map((m) => Math.floor(m.internalDate / 1000)));
  } finally {
    await from.logout();
    await to.logout();
  }
});
