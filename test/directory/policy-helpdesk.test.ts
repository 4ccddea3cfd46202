import test from 'ava';
import { makeDirectory } from './helpers.ts';

const user = { kind: 'user' } as const;

test('the stricter policy forces a reset for weak passwords and rejects weak new ones', (t) => {
  const { directory } = makeDirectory();
  let weak = -1;
  for (let i = 0; i < directory.userCount && weak < 0; i++) {
    if (directory.user(directory.addressAt(i))!.password.length < 10) weak = i;
  }
  t.true(weak >= 0);
  const address = directory.addressAt(weak);
  const old = directory.user(address)!.password;
  t.deepEqual(directory.authenticate(address, old, user), { ok: true });
  const forced = directory.enforceStrictPolicy();
  t.true(forced > 20 && forced < 120, `forced ${forced} of 300 at a 20% share`);
  t.is(directory.stats().forcedResetPending, forced);
  t.deepEqual(directory.authenticate(address, old, user), { ok: false, reason: 'must-change-password' });
  t.like(directory.changePassword(address, 'password1'), { ok: false, reason: 'policy' });
  t.deepEqual(directory.changePassword(address, 'Str0nger-pass'), { ok: true });
  t.deepEqual(directory.authenticate(address, 'Str0nger-pass', user), { ok: true });
  t.is(directory.stats().forcedResetPending, forced - 1);
});

test('helpdesk engineers unlock at their rate, first come first served', (t) => {
  const { directory, clock, events } = makeDirectory({
    lockout: { policy: 'ad', threshold: 1, lockoutDurationMs: 0 },
    helpdesk: { engineers: 2, unlocksPerEngineerPerHour: 4 },
  });
  for (let i = 0; i < 10; i++) {
    directory.authenticate(directory.addressAt(i), 'wrong', user);
    clock.advance(1);
  }
  t.is(directory.stats().helpdesk.backlog, 10);
  clock.advance(15 * 60_000);
  t.is(directory.stats().helpdesk.backlog, 8);
  t.false(directory.user(directory.addressAt(0))!.locked);
  t.false(directory.user(directory.addressAt(1))!.locked);
  t.true(directory.user(directory.addressAt(2))!.locked);
  clock.advance(45 * 60_000);
  const stats = directory.stats();
  t.is(stats.helpdesk.backlog, 2);
  t.is(stats.helpdesk.unlocked, 8);
  t.is(stats.lockedNow, 2);
  t.true(stats.helpdesk.longestWaitMs > 59 * 60_000 && stats.helpdesk.longestWaitMs <= 60 * 60_000);
  t.is(stats.peakLockedNow, 10);
  t.is(events.all().filter((e) => e.type === 'unlock').length, 8);
  const waits = directory.helpdeskWaits();
  t.is(waits.length, 8);
  t.is(waits[0], 15 * 60_000);
  t.true(waits.every((w, k) => k === 0 || w >= waits[k - 1]! - 1));
  t.deepEqual(stats.organisations.map((o) => o.lockedNow), [2, 0]);
});
