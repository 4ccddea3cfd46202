// One mover against two real IMAP mailstores over loopback: a healthy mailbox is moved and
// verified, mail that arrived before the move is carried exactly once, a corrupt mailbox is
// reported by name and left where it was.
import test from 'ava';
import { systemClock } from '../../engine/clock.ts';
import { seededRandom } from '../../engine/random.ts';
import { createImapConnector } from '../../engine/clients/imap-client.ts';
import type { MetricsSink } from '../../engine/metrics/types.ts';
import type { Endpoints } from '../../stack/types.ts';
import { Directory } from '../../directory/index.ts';
import { FakeImapServer, MailStore } from '../../fakes/mailstore/index.ts';
import { moveAccount } from '../../scenarios/weekend-migration/mover.ts';
import { idsInStore } from '../../scenarios/weekend-migration/live-mail.ts';

const metrics: MetricsSink = { declare() {}, count() {}, rate() {}, gauge() {}, trend() {} };
const seed = { median: 6, sigma: 0.5, sizeMedianBytes: 1500 };

async function rig(corruptShare: number) {
  const random = seededRandom(11);
  const directory = new Directory({ clock: systemClock, random, population: { organisations: [{ name: 'Phase 1', users: 6 }], weakPasswordShare: 0, maxDevices: 0 }, lockout: { policy: 'none' } });
  const source = new MailStore({ name: 'source', clock: systemClock, random, seed, corruptShare });
  const target = new MailStore({ name: 'target', clock: systemClock, random });
  const src = await new FakeImapServer({ store: source, directory }).start();
  const tgt = await new FakeImapServer({ store: target, directory }).start();
  const endpoints = {
    imap: { host: src.host, port: src.port },
    extra: { 'imap-source': { host: src.host, port: src.port }, 'imap-target': { host: tgt.host, port: tgt.port } },
  } as unknown as Endpoints;
  const imap = createImapConnector({ endpoints, metrics });
  const routes: [string, string][] = [];
  const stop = async () => {
    await src.stop();
    await tgt.stop();
  };
  return { directory, source, target, imap, routes, route: (a: string, s: string) => { routes.push([a, s]); }, stop };
}

test('a healthy mailbox is moved, verified and routed to the target; earlier mail is carried exactly once', async (t) => {
  const r = await rig(0);
  t.teardown(r.stop);
  const address = r.directory.addressAt(2);
  const before = r.source.mailbox(address, 'INBOX')!.messages.length;
  t.true(before > 0);
  r.source.deliver(address, `X-Mailstorm-Id: live-1\r\nFrom: a@partner.test\r\nTo: ${address}\r\nSubject: live\r\n\r\nhello\r\n`);
  const result = await moveAccount({ address, password: r.directory.user(address)!.password, imap: r.imap, route: r.route });
  t.is(result.status, 'moved');
  if (result.status !== 'moved') return;
  t.is(result.messages, before + 1);
  t.deepEqual(result.integrity, { missing: 0, duplicated: 0, flagsLost: 0 });
  t.deepEqual(r.routes, [[address, 'target']]);
  const copied = r.target.mailbox(address, 'INBOX')!.messages;
  t.is(copied.length, before + 1);
  // Appended in source order: flags and dates kept pairwise (seeded mail is \Seen, the live one is not).
  const originals = r.source.mailbox(address, 'INBOX')!.messages;
  t.deepEqual(copied.map((m) => [...m.flags].sort()), originals.map((m) => [...m.flags].sort()));
  t.true(copied.some((m) => m.flags.has('\\Seen')) && copied.some((m) => !m.flags.has('\\Seen')));
  t.deepEqual(copied.map((m) => Math.floor(m.internalDate / 1000)), originals.map((m) => Math.floor(m.internalDate / 1000)));
  const ids = await idsInStore(r.imap, address, r.directory.user(address)!.password, 'target');
  t.is(ids.get('live-1'), 1);
});

test('a corrupt mailbox is reported with its mailbox and uid and its mail stays routed to the source', async (t) => {
  const r = await rig(1);
  t.teardown(r.stop);
  const address = r.directory.addressAt(0);
  t.true(r.source.isCorrupt(address));
  const result = await moveAccount({ address, password: r.directory.user(address)!.password, imap: r.imap, route: r.route });
  t.is(result.status, 'corrupt');
  if (result.status !== 'corrupt') return;
  t.is(result.address, address);
  t.is(result.mailbox, 'INBOX');
  t.is(result.uids.length, 1);
  t.true(r.source.mailbox(address, 'INBOX')!.messages.find((m) => m.uid === result.uids[0])?.corrupt);
  t.false(r.routes.some(([, store]) => store === 'target'));
});

test('a wrong password fails the move with the stage named, nothing routed', async (t) => {
  const r = await rig(0);
  t.teardown(r.stop);
  const address = r.directory.addressAt(1);
  const result = await moveAccount({ address, password: 'not-the-password', imap: r.imap, route: r.route });
  t.is(result.status, 'failed');
  if (result.status === 'failed') t.is(result.stage, 'source login');
  t.deepEqual(r.routes, []);
});

test('both stores are logged in to at once: the target login starts before the source login is answered, and both sessions are closed', async (t) => {
  const r = await rig(0);
  t.teardown(r.stop);
  const address = r.directory.addressAt(2);
  const log: string[] = [];
  let open = 0;
  const imap: typeof r.imap = {
    async connect(auth, endpoint) {
      log.push(`start ${endpoint}`);
      const client = await r.imap.connect(auth, endpoint);
      log.push(`logged in ${endpoint}`);
      open++;
      client.once('close', () => open--);
      return client;
    },
  };
  const result = await moveAccount({ address, password: r.directory.user(address)!.password, imap, route: r.route });
  t.is(result.status, 'moved');
  t.deepEqual(log.slice(0, 2), ['start imap-target', 'start imap-source']);
  t.is(log.length, 4);
  t.is(open, 0, 'no session left open');
  // A failed source login still closes the target session that logged in meanwhile.
  const before = open;
  const failed = await moveAccount({ address: r.directory.addressAt(3), password: 'not-the-password', imap, route: r.route });
  t.is(failed.status, 'failed');
  t.is(open, before);
});
