import test from 'ava';
import { makeDirectory, userWithDevices } from './helpers.ts';

const user = { kind: 'user' } as const;

test('AD-style counts identical bad passwords and locks at the threshold', (t) => {
  const { directory } = makeDirectory({ lockout: { policy: 'ad', threshold: 5, lockoutDurationMs: 60_000 } });
  const address = directory.addressAt(3);
  const password = directory.user(address)!.password;
  for (let k = 0; k < 4; k++) t.deepEqual(directory.authenticate(address, 'same-wrong', user), { ok: false, reason: 'bad-password' });
  t.deepEqual(directory.authenticate(address, password, user), { ok: true });
  for (let k = 0; k < 5; k++) directory.authenticate(address, 'same-wrong', user);
  const locked = directory.authenticate(address, password, user);
  t.is(locked.ok, false);
  t.is(!locked.ok && locked.reason, 'locked');
  t.is(!locked.ok && locked.retryAfterMs, 60_000);
  t.is(directory.stats().lockedNow, 1);
});

test('AD-style: a bad attempt after the observation window restarts the count', (t) => {
  const { directory, clock } = makeDirectory({ lockout: { policy: 'ad', threshold: 3, observationWindowMs: 10_000 } });
  const address = directory.addressAt(4);
  directory.authenticate(address, 'wrong1', user);
  directory.authenticate(address, 'wrong2', user);
  clock.advance(10_001);
  directory.authenticate(address, 'wrong3', user);
  directory.authenticate(address, 'wrong4', user);
  t.false(directory.user(address)!.locked);
  directory.authenticate(address, 'wrong5', user);
  t.true(directory.user(address)!.locked);
});

test('AD-style lockout ends when its duration has passed', (t) => {
  const { directory, clock } = makeDirectory({ lockout: { policy: 'ad', threshold: 2, lockoutDurationMs: 30_000 } });
  const address = directory.addressAt(5);
  const password = directory.user(address)!.password;
  directory.authenticate(address, 'x', user);
  directory.authenticate(address, 'x', user);
  clock.advance(29_999);
  t.like(directory.authenticate(address, password, user), { ok: false, reason: 'locked' });
  clock.advance(1);
  t.deepEqual(directory.authenticate(address, password, user), { ok: true });
  t.is(directory.stats().longestLockedMs, 30_000);
  t.is(directory.stats().lockedNow, 0);
});

test('smart lockout does not count repeats of one of the last 3 bad passwords', (t) => {
  const { directory } = makeDirectory({ lockout: { policy: 'smart' } });
  const address = directory.addressAt(6);
  for (let k = 0; k < 50; k++) directory.authenticate(address, ['a-wrong', 'b-wrong', 'c-wrong'][k % 3]!, user);
  t.false(directory.user(address)!.locked);
  t.is(directory.stats().failures.user, 50);
  for (let k = 0; k < 7; k++) directory.authenticate(address, `distinct-${k}`, user);
  t.true(directory.user(address)!.locked);
});

test('smart lockout lasts 60 s first, longer on the next lockout, per location', (t) => {
  const { directory, clock } = makeDirectory({ lockout: { policy: 'smart' } });
  const address = directory.addressAt(7);
  const password = directory.user(address)!.password;
  for (let k = 0; k < 10; k++) directory.authenticate(address, `u-${k}`, user, 'unfamiliar');
  t.like(directory.authenticate(address, password, user, 'unfamiliar'), { ok: false, reason: 'locked', retryAfterMs: 60_000 });
  t.deepEqual(directory.authenticate(address, password, user, 'familiar'), { ok: true });
  clock.advance(60_000);
  for (let k = 0; k < 10; k++) directory.authenticate(address, `v-${k}`, user, 'unfamiliar');
  t.like(directory.authenticate(address, password, user, 'unfamiliar'), { ok: false, reason: 'locked', retryAfterMs: 120_000 });
});

test('policy none never locks', (t) => {
  const { directory } = makeDirectory({ lockout: { policy: 'none' } });
  const address = directory.addressAt(8);
  for (let k = 0; k < 100; k++) directory.authenticate(address, `w${k}`, user);
  t.false(directory.user(address)!.locked);
  t.deepEqual(directory.authenticate(address, directory.user(address)!.password, user), { ok: true });
});

test('unknown users are refused without counting', (t) => {
  const { directory } = makeDirectory();
  t.deepEqual(directory.authenticate('ghost.user.1@nhs.test', 'x', user), { ok: false, reason: 'unknown-user' });
  t.is(directory.stats().failures.user, 0);
});

test('a stale device locks an account whose user never typed a wrong password, and the directory says so', (t) => {
  const { directory, events, counters } = makeDirectory({ lockout: { policy: 'ad', threshold: 10, lockoutDurationMs: 0 }, helpdesk: false });
  const before = userWithDevices(directory, 2);
  const [phone, tablet] = before.devices;
  t.deepEqual(directory.changePassword(before.address, 'New-Passw0rd!x'), { ok: true });
  t.true(directory.updateDevicePassword(before.address, phone!.id));
  const after = directory.user(before.address)!;
  t.false(after.devices[0]!.stale);
  t.true(after.devices[1]!.stale);
  t.deepEqual(directory.authenticate(before.address, after.devices[0]!.password, { kind: 'device', deviceId: phone!.id }), { ok: true });
  for (let k = 0; k < 10; k++) directory.authenticate(before.address, after.devices[1]!.password, { kind: 'device', deviceId: tablet!.id });
  const stats = directory.stats();
  t.is(stats.lockedNow, 1);
  t.is(stats.accountsLocked, 1);
  t.is(stats.lockedNeverTypedWrong, 1);
  t.is(stats.lockouts['stale-device'], 1);
  t.is(stats.failures['stale-device'], 10);
  t.is(counters.get('lockouts{"cause":"stale-device"}'), 1);
  t.is(events.all().filter((e) => e.type === 'lockout' && e['cause'] === 'stale-device').length, 1);
  t.like(directory.authenticate(before.address, after.password, user), { ok: false, reason: 'locked' });
  t.true(directory.unlock(before.address));
  t.deepEqual(directory.authenticate(before.address, after.password, user), { ok: true });
});

test('AD with the N-2 password-history check does not count a stale device holding the previous password', (t) => {
  const { directory } = makeDirectory({ lockout: { policy: 'ad', threshold: 3, passwordHistoryCheck: true } });
  const owner = userWithDevices(directory, 1);
  directory.changePassword(owner.address, 'Second-Passw0rd');
  for (let k = 0; k < 10; k++) directory.authenticate(owner.address, owner.password, { kind: 'device', deviceId: owner.devices[0]!.id });
  t.false(directory.user(owner.address)!.locked);
  t.is(directory.stats().failures['stale-device'], 10);
  for (let k = 0; k < 3; k++) directory.authenticate(owner.address, `other-${k}`, user);
  t.true(directory.user(owner.address)!.locked);
});
