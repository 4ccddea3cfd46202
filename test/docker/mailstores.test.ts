// Two mailstores on the docker stack: the source seeded over IMAP APPEND with the same
// mailboxes the embedded store would hold, a corrupt message that real Dovecot fails to
// FETCH (and the migration mover reports as a corrupt mailbox), and live mail that follows
// a user moved with routeUser to the other store's Dovecot.
import test from 'ava';
import nodemailer from 'nodemailer';
import { ImapFlow } from 'imapflow';
import { LEDGER_HEADER } from '../../engine/ledger/types.ts';
import type { ImapConnector } from '../../engine/clients/types.ts';
import { MailStore } from '../../fakes/mailstore/index.ts';
import { spreadUsers } from '../../stack/embedded/mail-services.ts';
import { Directory } from '../../directory/index.ts';
import { dockerProvider } from '../../stack/docker/index.ts';
import type { Stack, StackSpec } from '../../stack/types.ts';
import { moveAccount } from '../../scenarios/weekend-migration/mover.ts';
import { eventually, imagesReady, leftovers, SMALL_POPULATION, stackOptions } from './helpers.ts';

const SEED = { median: 3, sigma: 0.5, sizeMedianBytes: 1500 };
const SPEC: StackSpec = {
  population: SMALL_POPULATION,
  lockout: { policy: 'none' },
  mailstores: [{ name: 'source', seedMessages: SEED, corruptMailboxes: 1 }, { name: 'target' }],
  deliverTo: 'source',
};

test.before(async () => {
  await imagesReady();
});

test.after.always('no container or network labelled mailstorm is left', async (t) => {
  t.deepEqual(await leftovers(), []);
});

function imapOf(stack: Stack): ImapConnector {
  return {
    async connect(auth, endpoint = 'imap') {
      const at = endpoint === 'imap' ? stack.endpoints.imap : stack.endpoints.extra[endpoint];
      if (!at) throw new Error(`no endpoint ${endpoint}`);
      const client = new ImapFlow({ host: at.host, port: at.port, secure: false, auth, logger: false, disableAutoIdle: true });
      await client.connect();
      return client;
    },
  };
}

async function inboxCount(imap: ImapConnector, user: string, pass: string, endpoint: string): Promise<number> {
  const client = await imap.connect({ user, pass }, endpoint);
  try {
    return (await client.mailboxOpen('INBOX', { readOnly: true })).exists;
  } finally {
    await client.logout().catch(() => client.close());
  }
}

async function subjects(imap: ImapConnector, user: string, pass: string, endpoint: string): Promise<string[]> {
  const client = await imap.connect({ user, pass }, endpoint);
  try {
    const box = await client.mailboxOpen('INBOX', { readOnly: true });
    if (box.exists === 0) return [];
    return (await client.fetchAll('1:*', { envelope: true })).map((m) => m.envelope?.subject ?? '');
  } finally {
    await client.logout().catch(() => client.close());
  }
}

test('seeding, a corrupt message real Dovecot cannot fetch, and per-user routing between two stores', async (t) => {
  const options = await stackOptions(SPEC);
  await using stack = await dockerProvider.start(options);
  const dir = stack.directory!;
  const imap = imapOf(stack);
  t.truthy(stack.endpoints.extra['imap-source']);
  t.truthy(stack.endpoints.extra['imap-target']);
  t.is(typeof stack.routeUser, 'function');

  // The same generator and seed as the embedded stack: the counts it draws are what Dovecot holds.
  const expected = new MailStore({
    name: 'source', clock: options.clock, random: options.random.fork('mailstore:source'), seed: SEED,
    corruptUsers: spreadUsers(dir as Directory, 1),
  });
  const corrupt = [...spreadUsers(dir as Directory, 1)][0]!;
  t.is(corrupt, dir.addressAt(Math.floor(0.5 * dir.userCount)).toLowerCase());
  let total = 0;
  for (let i = 0; i < dir.userCount; i++) {
    const address = dir.addressAt(i);
    const want = expected.mailbox(address, 'INBOX')!.messages.length;
    total += want;
    t.is(await inboxCount(imap, address, dir.user(address)!.password, 'imap-source'), want, `${address} holds its seeded messages`);
  }
  t.true(total > 0);
  t.true(stack.description.notes.some((n) => n.includes(`${total} messages`) && n.includes(corrupt)));

  // Real Dovecot fails the corrupt message's FETCH BODY[] (and drops the session).
  const pass = dir.user(corrupt)!.password;
  const client = await imap.connect({ user: corrupt, pass }, 'imap-source');
  await client.mailboxOpen('INBOX', { readOnly: true });
  await t.throwsAsync(client.fetchAll('1:*', { uid: true, source: true }));
  await client.logout().catch(() => client.close());
  // It stays broken: the next session fails the same way.
  const again = await imap.connect({ user: corrupt, pass }, 'imap-source');
  await again.mailboxOpen('INBOX', { readOnly: true });
  await t.throwsAsync(again.fetchAll('1:*', { uid: true, source: true }));
  await again.logout().catch(() => again.close());

  // What the migration mover makes of it: a corrupt mailbox named, not a crash, not moved.
  const routed: string[] = [];
  const route = (a: string, s: string) => { routed.push(s); stack.routeUser!(a, s); };
  const bad = await moveAccount({ address: corrupt, password: pass, imap, route });
  t.is(bad.status, 'corrupt');
  t.is(bad.status === 'corrupt' ? bad.mailbox : '', 'INBOX');
  t.deepEqual(routed, []);

  // A healthy account moves and verifies; afterwards its new mail goes to the target's Dovecot.
  const mover = dir.user(dir.addressAt(1))!;
  const moved = await moveAccount({ address: mover.address, password: mover.password, imap, route });
  t.is(moved.status, 'moved');
  t.deepEqual(moved.status === 'moved' ? moved.integrity : undefined, { missing: 0, duplicated: 0, flagsLost: 0 });
  const seeded = await inboxCount(imap, mover.address, mover.password, 'imap-target');
  t.is(seeded, expected.mailbox(mover.address, 'INBOX')!.messages.length);

  const stay = dir.user(dir.addressAt(2))!;
  const now = Date.now();
  options.ledger.expect({ id: 'live-moved', flow: 'test', recipients: [mover.address.toLowerCase()], acceptedAt: now });
  options.ledger.expect({ id: 'live-stay', flow: 'test', recipients: [stay.address.toLowerCase()], acceptedAt: now });
  const smtp = nodemailer.createTransport({ host: stack.endpoints.smtp.host, port: stack.endpoints.smtp.port, secure: false, ignoreTLS: true });
  await smtp.sendMail({ from: 'colleague@partner.test', to: mover.address, subject: 'after the move', text: 'x', headers: { [LEDGER_HEADER]: 'live-moved' } });
  await smtp.sendMail({ from: 'colleague@partner.test', to: stay.address, subject: 'not moved', text: 'x', headers: { [LEDGER_HEADER]: 'live-stay' } });
  smtp.close();
  t.true(await eventually(() => options.ledger.outstanding() === 0), 'both live messages arrived');
  t.true((await subjects(imap, mover.address, mover.password, 'imap-target')).includes('after the move'));
  t.false((await subjects(imap, mover.address, mover.password, 'imap-source')).includes('after the move'));
  t.true((await subjects(imap, stay.address, stay.password, 'imap-source')).includes('not moved'));
  const summary = options.ledger.reconcile({ final: true, now: Date.now() });
  t.is(summary.delivered, 2);
  t.is(summary.lost, 0);
});
