// The lockout workload's transport against the real ActiveSync endpoint and IMAP server: what
// each protocol answers for a good password, a bad one, a forced reset and a locked account
// is read back as the same outcome.
import test from 'ava';
import { ManualClock, systemClock } from '../../engine/clock.ts';
import { seededRandom } from '../../engine/random.ts';
import { createImapConnector } from '../../engine/clients/imap-client.ts';
import { createHttpClient } from '../../engine/clients/http-client.ts';
import type { MetricsSink } from '../../engine/metrics/types.ts';
import type { RunContext } from '../../harness/scenario/types.ts';
import type { Endpoints } from '../../stack/types.ts';
import { Directory } from '../../directory/index.ts';
import { FakeActiveSync } from '../../fakes/activesync/index.ts';
import { FakeImapServer, MailStore } from '../../fakes/mailstore/index.ts';
import { networkTransport } from '../../scenarios/mass-lockout/transport.ts';

const metrics: MetricsSink = { declare() {}, count() {}, rate() {}, gauge() {}, trend() {} };

test('IMAP LOGIN and ActiveSync outcomes: ok, bad password, must change, locked', async (t) => {
  const clock = new ManualClock(1_700_000_000_000);
  const directory = new Directory({
    clock, random: seededRandom(5), helpdesk: false,
    population: { organisations: [{ name: 'Trust', users: 40 }], weakPasswordShare: 0.5, maxDevices: 3 },
    lockout: { policy: 'ad', threshold: 2, observationWindowMs: 60_000, lockoutDurationMs: 0 },
  });
  const activesync = await new FakeActiveSync({ directory }).start();
  const imapServer = await new FakeImapServer({ store: new MailStore({ clock: systemClock, random: seededRandom(1) }), directory }).start();
  t.teardown(async () => {
    await activesync.stop();
    await imapServer.stop();
  });
  const endpoints = { imap: { host: imapServer.host, port: imapServer.port }, activesync: activesync.url, extra: {} } as unknown as Endpoints;
  const ctx = { clock: systemClock, metrics, endpoints, imap: createImapConnector({ endpoints, metrics }), http: createHttpClient({ metrics }) } as unknown as RunContext<unknown>;
  const transport = networkTransport(ctx);

  const users = Array.from({ length: 40 }, (_, i) => directory.user(directory.addressAt(i))!);
  const healthy = users.find((u) => u.devices.length > 0)!;
  t.is(await transport.userLogin(healthy.address, healthy.password), 'ok');
  t.is(await transport.deviceSync(healthy.address, healthy.devices[0]!.id, healthy.password), 'ok');

  directory.enforceStrictPolicy();
  const forced = users.find((u) => directory.user(u.address)!.forcedReset && u.devices.length > 0)!;
  t.is(await transport.userLogin(forced.address, forced.password), 'must-change-password');
  t.is(await transport.deviceSync(forced.address, forced.devices[0]!.id, forced.password), 'must-change-password');

  const other = users.find((u) => u !== healthy && !directory.user(u.address)!.forcedReset && u.devices.length > 0)!;
  t.is(await transport.deviceSync(other.address, other.devices[0]!.id, 'stale-password'), 'bad-password');
  t.is(await transport.userLogin(other.address, 'typo'), 'bad-password');
  t.true(directory.user(other.address)!.locked, 'two bad attempts lock it (threshold 2)');
  t.is(await transport.userLogin(other.address, other.password), 'locked');
  t.is(await transport.deviceSync(other.address, other.devices[0]!.id, other.password), 'locked');
});
