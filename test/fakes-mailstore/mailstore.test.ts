import test from 'ava';
import { ManualClock } from '../../engine/clock.ts';
import { seededRandom } from '../../engine/random.ts';
import { MailStore } from '../../fakes/mailstore/index.ts';

const make = (corruptShare = 0) =>
  new MailStore({ name: 'source', clock: new ManualClock(1_700_000_000_000), random: seededRandom(3), seed: { median: 20, sigma: 0.5, sizeMedianBytes: 5000 }, corruptShare });

test('deliver stores into INBOX and reports arrivals that carry a ledger id', (t) => {
  const store = new MailStore({ clock: new ManualClock(5000), random: seededRandom(1) });
  const arrivals: unknown[] = [];
  store.onArrival((a) => arrivals.push(a));
  store.deliver('Amelia.Smith.1@nhs.test', 'Message-ID: <a@b>\r\nX-Mailstorm-Id:\r\n  abc-1\r\n\r\nhi\r\n');
  store.deliver('amelia.smith.1@nhs.test', 'Subject: no ledger id\r\n\r\nhi\r\n');
  const inbox = store.mailbox('amelia.smith.1@nhs.test', 'inbox')!;
  t.is(inbox.messages.length, 2);
  t.deepEqual(inbox.messages.map((m) => m.uid), [1, 2]);
  t.deepEqual(arrivals, [{ id: 'abc-1', recipient: 'amelia.smith.1@nhs.test', at: 5000, store: 'main', mailbox: 'INBOX', via: 'deliver', messageId: '<a@b>' }]);
});

test('seeded mailboxes are deterministic, log-normal in size, and regenerate identical bytes', (t) => {
  const a = make().mailbox('u.one.1@nhs.test', 'INBOX')!;
  const b = make().mailbox('u.one.1@nhs.test', 'INBOX')!;
  t.true(a.messages.length > 0);
  t.deepEqual(a.messages.map((m) => m.size), b.messages.map((m) => m.size));
  const first = a.messages[0]!;
  t.is(first.raw().length, first.size);
  t.true(first.raw().equals(b.messages[0]!.raw()));
  const sizes = new Set(a.messages.map((m) => m.size));
  t.true(sizes.size > 1);
});

test('about corruptShare of seeded mailboxes hold exactly one unreadable message', (t) => {
  const store = make(0.1);
  let corrupt = 0;
  for (let i = 0; i < 400; i++) {
    const user = `u.x.${i}@nhs.test`;
    const bad = store.mailbox(user, 'INBOX')!.messages.filter((m) => m.corrupt);
    t.is(bad.length, store.isCorrupt(user) ? 1 : 0);
    if (bad.length) {
      corrupt++;
      t.throws(() => bad[0]!.raw());
    }
  }
  t.true(corrupt > 20 && corrupt < 70, `${corrupt} of 400`);
});

test('bad store options are refused with the field named', (t) => {
  t.throws(() => make(2), { name: 'InputError', message: /corruptShare/ });
});
