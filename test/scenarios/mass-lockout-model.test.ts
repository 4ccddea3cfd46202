// The mass-lockout workload model played straight against the directory with a manual
// clock: a simulated day in milliseconds, no sockets. Checks the model reproduces the
// incident's mechanism under AD lockout and that smart lockout removes it.
import test from 'ava';
import { ManualClock } from '../../engine/clock.ts';
import { seededRandom } from '../../engine/random.ts';
import { MemoryEventLog } from '../../engine/events.ts';
import { Directory } from '../../directory/index.ts';
import type { AuthResult } from '../../directory/types.ts';
import { EventQueue } from '../../scenarios/mass-lockout/event-queue.ts';
import { planLockoutDay, planSummary } from '../../scenarios/mass-lockout/device-retry.ts';
import { LockoutWorkload, type AuthOutcome } from '../../scenarios/mass-lockout/workload.ts';
import { massLockoutParams } from '../../scenarios/mass-lockout/params.ts';
import { TRUST_NAME, lockoutStack, retryModel } from '../../scenarios/mass-lockout/setup.ts';

const outcome = (r: AuthResult): AuthOutcome => (r.ok ? 'ok' : r.reason === 'unknown-user' ? 'error' : r.reason);

/**
 * Plays one simulated day. `late` makes user events (IMAP logins, resets) and device heartbeats
 * run that much behind their time, as the two lanes do on a slow machine.
 */
async function simulateDay(policy: 'ad' | 'smart', seed = 7, late = { userMs: 0, deviceMs: 0 }) {
  const params = massLockoutParams.parse({ lockoutPolicy: policy, trustUsers: 800, otherOrganisations: 2, usersPerOrganisation: 200 });
  const spec = lockoutStack(params);
  const clock = new ManualClock(1_700_000_000_000);
  const t0 = clock.now();
  const events = new MemoryEventLog(t0, () => clock.now());
  const directory = new Directory({
    clock, random: seededRandom(seed), events,
    population: spec.population!, lockout: spec.lockout!, helpdesk: spec.helpdesk!,
  });
  const forced = directory.enforceStrictPolicy();
  const model = retryModel(params);
  const plan = planLockoutDay(directory, model, seededRandom(seed).fork('plan'));
  const syncs: { user: number; device: number; at: number }[] = [];
  const workload = new LockoutWorkload(directory, plan, model, seededRandom(seed).fork('play'), {
    userLogin: async (a, p) => outcome(directory.authenticate(a, p, { kind: 'user' })),
    deviceSync: async (a, d, p) => outcome(directory.authenticate(a, p, { kind: 'device', deviceId: d })),
  }, () => clock.now() - t0);
  let backlogAtDeadline: number | undefined;
  let peakPct = 0;
  const next = () => {
    const u = workload.queues.user.peek();
    const d = workload.queues.device.peek();
    if (!u && !d) return undefined;
    const lane = !d || (u && u.at + late.userMs <= d.at + late.deviceMs) ? 'user' : 'device';
    return { event: workload.take(lane)!, lateMs: lane === 'user' ? late.userMs : late.deviceMs };
  };
  for (let item = next(), n = 0; item && n < 200_000; item = next(), n++) {
    const e = item.event;
    const runAt = t0 + e.at + item.lateMs;
    if (runAt > clock.now()) clock.advance(runAt - clock.now());
    for (const o of directory.stats().organisations) peakPct = Math.max(peakPct, (100 * o.lockedNow) / o.users);
    if (backlogAtDeadline === undefined && e.at >= params.helpdeskClearByHours * 3_600_000) backlogAtDeadline = directory.stats().helpdesk.backlog;
    if (e.kind === 'sync') syncs.push({ user: e.user, device: e.device, at: e.at });
    await workload.perform(e);
  }
  const trustLocked = new Set(events.all().filter((e) => e.type === 'lockout' && e['organisation'] === TRUST_NAME).map((e) => e['address'])).size;
  return { params, forced, plan, workload, stats: directory.stats(), syncs, trustLocked, peakPct, backlogAtDeadline: backlogAtDeadline ?? 0 };
}

test('the event queue hands out events earliest first', (t) => {
  const queue = new EventQueue<{ at: number; n: number }>();
  const random = seededRandom(3);
  for (let n = 0; n < 500; n++) queue.push({ at: random.int(0, 10_000), n });
  const out: number[] = [];
  for (let e = queue.pop(); e; e = queue.pop()) out.push(e.at);
  t.is(out.length, 500);
  t.deepEqual(out, [...out].sort((a, b) => a - b));
  t.is(queue.pop(), undefined);
});

test('stale devices retry at their own heartbeat interval (60-3540 s) and primaries never retry', async (t) => {
  const { plan, syncs, forced } = await simulateDay('smart');
  t.true(forced > 0);
  const summary = planSummary(plan);
  t.true(summary.staleDevices > 0);
  for (const u of plan.users) for (const d of u.devices) {
    t.true(d.intervalMs >= 60_000 && d.intervalMs <= 3_540_000);
  }
  const byDevice = new Map<string, number[]>();
  for (const s of syncs) byDevice.set(`${s.user}/${s.device}`, [...(byDevice.get(`${s.user}/${s.device}`) ?? []), s.at]);
  let checked = 0;
  for (const [key, times] of byDevice) {
    const [user, device] = key.split('/').map(Number) as [number, number];
    const planned = plan.users[user]!.devices[device]!;
    t.false(planned.primary, 'the device the user reset on never retries the old password');
    for (let i = 1; i < times.length; i++) {
      t.true(Math.abs(times[i]! - times[i - 1]! - planned.intervalMs) < 1, "one interval after the previous attempt");
      checked++;
    }
  }
  t.true(checked > 100);
});

test('AD lockout: stale devices lock accounts whose users never typed a wrong password, and the helpdesk falls behind', async (t) => {
  const day = await simulateDay('ad');
  const { stats, params } = day;
  t.true(stats.accountsLocked > 0);
  t.true(day.trustLocked / params.trustUsers > 0.02, `trust locked ${day.trustLocked} of ${params.trustUsers}`);
  t.true(stats.lockedNeverTypedWrong >= stats.accountsLocked * 0.8, `${stats.lockedNeverTypedWrong} of ${stats.accountsLocked} never typed wrong`);
  t.true(stats.lockouts['stale-device'] > stats.lockouts.user);
  t.true(stats.longestLockedMs > params.maxLockedHours * 3_600_000);
  t.true(day.backlogAtDeadline > 0);
});

test('smart lockout: the same stale passwords fail but lock nobody', async (t) => {
  const day = await simulateDay('smart');
  t.true(day.workload.tally.deviceSyncs['bad-password'] > 100, 'stale devices kept failing');
  t.is(day.stats.accountsLocked, 0);
  t.is(day.stats.lockedNeverTypedWrong, 0);
  t.is(day.backlogAtDeadline, 0);
});

test('the outcome does not hinge on a fast machine: with resets 2 h late and heartbeats 5 min late AD still fails every gate and smart passes', async (t) => {
  const late = { userMs: 2 * 3_600_000, deviceMs: 5 * 60_000 };
  const ad = await simulateDay('ad', 9, late);
  const { params } = ad;
  t.true(ad.peakPct >= params.maxLockedPct, `peak ${ad.peakPct}%`);
  t.true(ad.stats.lockedNeverTypedWrong > params.maxStaleDeviceLockouts);
  t.true(ad.stats.longestLockedMs >= params.maxLockedHours * 3_600_000);
  t.true(ad.backlogAtDeadline > 0);
  const smart = await simulateDay('smart', 9, late);
  t.is(smart.peakPct, 0);
  t.is(smart.stats.accountsLocked, 0);
  t.is(smart.backlogAtDeadline, 0);
});
