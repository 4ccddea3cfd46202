import test from 'ava';
import { ManualClock } from '../../engine/clock.ts';
import { seededRandom } from '../../engine/random.ts';
import { MemoryEventLog } from '../../engine/events.ts';
import { Directory, type DirectoryOptions } from '../../directory/index.ts';
import { FakeActiveSync } from '../../fakes/activesync/index.ts';

async function start(overrides: Partial<DirectoryOptions> = {}) {
  const clock = new ManualClock(1_700_000_000_000);
  const events = new MemoryEventLog(clock.now(), () => clock.now());
  const directory = new Directory({
    clock, random: seededRandom(11), events, helpdesk: false,
    population: { organisations: [{ name: 'Riverside NHS Trust', users: 40 }], maxDevices: 3 },
    ...overrides,
  });
  const server = await new FakeActiveSync({ directory }).start();
  let owner = directory.user(directory.addressAt(0))!;
  for (let i = 0; owner.devices.length < 2; i++) owner = directory.user(directory.addressAt(i))!;
  return { clock, events, directory, server, owner };
}

const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

function post(base: string, query: Record<string, string>, auth?: string, path = '/Microsoft-Server-ActiveSync') {
  return fetch(`${base}${path}?${new URLSearchParams(query)}`, {
    method: 'POST',
    headers: { ...(auth && { Authorization: auth }), 'Content-Type': 'application/vnd.ms-sync.wbxml' },
    body: '',
  });
}

test('a device with the right password gets 200, a wrong one 401, paths and malformed requests 404/400', async (t) => {
  const { server, owner } = await start();
  await using _ = server;
  const device = owner.devices[0]!;
  const q = { Cmd: 'Sync', User: owner.address, DeviceId: device.id, DeviceType: 'iPhone' };
  const ok = await post(server.url, q, basic(owner.address, device.password));
  t.is(ok.status, 200);
  t.like(await ok.json(), { status: 1, cmd: 'Sync' });
  const bad = await post(server.url, q, basic(owner.address, 'not-it'));
  t.is(bad.status, 401);
  t.is(bad.headers.get('www-authenticate'), 'Basic realm="mailstorm"');
  await bad.arrayBuffer();
  const none = await post(server.url, q);
  t.is(none.status, 401);
  await none.arrayBuffer();
  for (const [query, auth, path, status] of [
    [{ ...q, Cmd: 'Explode' }, basic(owner.address, device.password), undefined, 400],
    [{ Cmd: 'Ping', User: owner.address }, basic(owner.address, device.password), undefined, 400],
    [q, 'Basic !!!', undefined, 400],
    [q, basic(owner.address, device.password), '/owa', 404],
  ] as const) {
    const res = await post(server.url, query, auth, path);
    t.is(res.status, status, JSON.stringify(query));
    await res.arrayBuffer();
  }
  const get = await fetch(`${server.url}/Microsoft-Server-ActiveSync?${new URLSearchParams(q)}`);
  t.is(get.status, 405);
  await get.arrayBuffer();
});

test('a stale device locks an account whose user never typed a wrong password; it answers 403 while locked', async (t) => {
  const { server, owner, directory, events } = await start({ lockout: { policy: 'ad', threshold: 10, lockoutDurationMs: 0 } });
  await using _ = server;
  t.deepEqual(directory.changePassword(owner.address, 'Fresh-Password-9'), { ok: true });
  const [phone, tablet] = owner.devices;
  directory.updateDevicePassword(owner.address, phone!.id);
  const statuses: number[] = [];
  for (let k = 0; k < 12; k++) {
    const res = await post(server.url, { Cmd: 'Ping', User: owner.address, DeviceId: tablet!.id, DeviceType: 'Android' }, basic(owner.address, tablet!.password));
    statuses.push(res.status);
    if (res.status === 403) t.is(res.headers.get('x-ms-asthrottle'), 'AccountLocked');
    await res.arrayBuffer();
  }
  t.deepEqual(statuses, [...Array(10).fill(401), 403, 403]);
  const phoneRes = await post(server.url, { Cmd: 'Sync', User: owner.address, DeviceId: phone!.id, DeviceType: 'iPhone' }, basic(owner.address, 'Fresh-Password-9'));
  t.is(phoneRes.status, 403);
  await phoneRes.arrayBuffer();
  const stats = directory.stats();
  t.is(stats.accountsLocked, 1);
  t.is(stats.lockedNeverTypedWrong, 1);
  t.is(stats.lockouts['stale-device'], 1);
  t.is(stats.failures.user, 0);
  t.like(events.all().find((e) => e.type === 'lockout'), { cause: 'stale-device', address: owner.address, untilUnlocked: true });
});

test('smart lockout: a stale device repeating one old password never locks the account', async (t) => {
  const { server, owner, directory, clock } = await start({ lockout: { policy: 'smart' } });
  await using _ = server;
  directory.changePassword(owner.address, 'Fresh-Password-9');
  const stale = owner.devices[1]!;
  for (let k = 0; k < 30; k++) {
    const res = await post(server.url, { Cmd: 'Ping', User: owner.address, DeviceId: stale.id, DeviceType: 'Android' }, basic(owner.address, stale.password));
    t.is(res.status, 401);
    await res.arrayBuffer();
    clock.advance(60_000);
  }
  t.is(directory.stats().accountsLocked, 0);
  t.is(directory.stats().failures['stale-device'], 30);
});

test('a timed lockout answers 403 with Retry-After in clock seconds', async (t) => {
  const { server, owner } = await start({ lockout: { policy: 'ad', threshold: 1, lockoutDurationMs: 90_000 } });
  await using _ = server;
  const q = { Cmd: 'FolderSync', User: owner.address, DeviceId: owner.devices[0]!.id, DeviceType: 'iPhone' };
  (await post(server.url, q, basic(owner.address, 'wrong'))).body?.cancel();
  const res = await post(server.url, q, basic(owner.address, owner.password));
  t.is(res.status, 403);
  t.is(res.headers.get('retry-after'), '90');
  await res.arrayBuffer();
});
