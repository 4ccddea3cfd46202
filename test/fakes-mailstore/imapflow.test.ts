import test from 'ava';
import { ImapFlow } from 'imapflow';
import { startImap } from './helpers.ts';

const client = (port: number, user: string, pass: string, clientInfo?: Record<string, string>, loginMethod?: string) =>
  new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user, pass, ...(loginMethod && { loginMethod }) }, logger: false, clientInfo, connectionTimeout: 10_000 });

test('imapflow logs in, lists, appends, fetches, searches and stores flags', async (t) => {
  const { server, user } = await startImap();
  await using _ = server;
  const imap = client(server.port, user.address, user.password);
  await imap.connect();
  try {
    const boxes = (await imap.list()).map((b) => b.path).sort();
    t.deepEqual(boxes, ['Drafts', 'INBOX', 'Sent', 'Trash']);
    t.is((await imap.list()).find((b) => b.path === 'Sent')?.specialUse, '\\Sent');
    const raw = 'From: a@nhs.test\r\nTo: b@nhs.test\r\nSubject: hello\r\nX-Mailstorm-Id: m-1\r\n\r\nbody line\r\n';
    const appended = await imap.append('INBOX', raw, ['\\Flagged'], new Date('2024-03-01T10:00:00Z'));
    t.is(appended && appended.uid, 1);
    await imap.append('INBOX', Buffer.from('Subject: second\r\n\r\n' + 'x'.repeat(100_000) + '\r\n'));
    const status = await imap.status('INBOX', { messages: true, unseen: true, uidNext: true });
    t.like(status, { messages: 2, unseen: 2, uidNext: 3 });
    const lock = await imap.getMailboxLock('INBOX');
    try {
      const first = await imap.fetchOne('1', { uid: true, flags: true, size: true, internalDate: true, source: true }, { uid: true });
      t.truthy(first);
      if (!first) return;
      t.is(first.source?.toString(), raw);
      t.is(first.size, Buffer.byteLength(raw));
      t.true(first.flags?.has('\\Flagged'));
      t.is((first.internalDate as Date).toISOString(), '2024-03-01T10:00:00.000Z');
      const sizes: number[] = [];
      for await (const m of imap.fetch('1:*', { uid: true, size: true })) sizes.push(m.size ?? -1);
      t.deepEqual(sizes, [Buffer.byteLength(raw), 100_021]);
      t.deepEqual(await imap.search({ all: true }, { uid: true }), [1, 2]);
      t.deepEqual(await imap.search({ uid: '2:*' }, { uid: true }), [2]);
      t.deepEqual(await imap.search({ flagged: true }, { uid: true }), [1]);
      await imap.messageFlagsAdd({ uid: '2' }, ['\\Seen'], { uid: true });
      t.deepEqual(await imap.search({ seen: false }, { uid: true }), [1]);
    } finally {
      lock.release();
    }
  } finally {
    await imap.logout();
  }
});

test('imapflow login with a wrong password fails as AUTHENTICATIONFAILED; a locked account says CONTACTADMIN', async (t) => {
  const { server, user } = await startImap({ directory: { lockout: { policy: 'ad', threshold: 2, lockoutDurationMs: 0 } } });
  await using _ = server;
  for (let k = 0; k < 2; k++) {
    // Once through AUTHENTICATE PLAIN, once through LOGIN: both count against the account.
    const error = await t.throwsAsync(client(server.port, user.address, 'wrong-password', undefined, k === 0 ? undefined : 'LOGIN').connect());
    t.is((error as Error & { serverResponseCode?: string }).serverResponseCode, 'AUTHENTICATIONFAILED');
  }
  const locked = await t.throwsAsync(client(server.port, user.address, user.password, undefined, 'LOGIN').connect());
  t.is((locked as Error & { serverResponseCode?: string }).serverResponseCode, 'CONTACTADMIN');
});

test('a device named in the ID command is attributed as the cause of its failed logins', async (t) => {
  const { server, user, directory } = await startImap({ directory: { population: { organisations: [{ name: 'Trust', users: 50 }], maxDevices: 3 } } });
  await using _ = server;
  const owner = Array.from({ length: 50 }, (_, i) => directory.user(directory.addressAt(i))!).find((u) => u.devices.length > 0)!;
  t.truthy(owner, String(user.index));
  directory.changePassword(owner.address, 'Brand-new-Pass1');
  const device = owner.devices[0]!;
  await t.throwsAsync(client(server.port, owner.address, device.password, { 'x-device-id': device.id }).connect());
  t.is(directory.stats().failures['stale-device'], 1);
  t.is(directory.stats().failures.user, 0);
});
