// The proof the harness works, for the 2009 lockout wave: with AD-style lockout (as 2009)
// the replay fails the gates the incident broke, with figures showing the harm; with smart
// lockout the same replay, the same stale devices, passes. A third of the default population
// and a 12-hour day in 40 s, so the pair stays short.
import test from 'ava';
import { gate, runScenario } from './run-cli.ts';

const FILE = 'scenarios/mass-lockout/index.ts';
const SHORT = ['trustUsers=500', 'otherOrganisations=2', 'usersPerOrganisation=100', 'helpdeskEngineers=1', 'simHours=12', 'duration=40s'];
const INCIDENT_GATES = ['lockout_locked_pct', 'lockout_stale_device_accounts', 'lockout_longest_locked_hours', 'helpdesk_backlog_at_deadline'];

const ad = runScenario(FILE, [...SHORT, 'lockoutPolicy=ad']);
const smart = runScenario(FILE, [...SHORT, 'lockoutPolicy=smart']);
// Both runs start at once; make sure a failure of one is not left unhandled while the other is awaited.
ad.catch(() => {});
smart.catch(() => {});

test('AD lockout (2009): exit 1, every lockout gate fails, figures show stale devices locking users out', async (t) => {
  const { code, result, stderr } = await ad;
  t.is(code, 1, stderr);
  t.is(result.verdict, 'fail');
  t.true(result.complete);
  for (const metric of INCIDENT_GATES) t.false(gate(result, metric).ok, `${metric} should fail under AD lockout`);
  t.true((gate(result, 'lockout_locked_pct').observed ?? 0) >= 0.5, 'at least 0.5% of an organisation locked at once');
  t.true((gate(result, 'lockout_stale_device_accounts').observed ?? 0) > 0);
  t.true((gate(result, 'lockout_longest_locked_hours').observed ?? 0) >= 0.5);
  t.true((gate(result, 'helpdesk_backlog_at_deadline').observed ?? 0) > 0);
  const trust = result.figures['trust_accounts_locked_in_day'];
  t.true((trust?.value ?? 0) > 0);
  t.is(trust?.projected, Math.round((trust?.value ?? 0) * (12_500 / 500)), 'projected to the 12,500-user trust');
  t.true((result.figures['locked_never_typed_wrong']?.value ?? 0) > 0);
  const lockouts = result.events.filter((e) => e.type === 'lockout');
  t.true(lockouts.length > 0);
  t.true(lockouts.some((e) => e['cause'] === 'stale-device'));
  t.true(result.events.some((e) => e.type === 'unlock' && e['by'] === 'helpdesk'), 'the helpdesk unlocked some, too slowly');
});

test('smart lockout: exit 0 and the same gates pass although the stale devices kept failing', async (t) => {
  const { code, result, stderr } = await smart;
  t.is(code, 0, stderr);
  t.is(result.verdict, 'pass');
  for (const metric of INCIDENT_GATES) t.true(gate(result, metric).ok, `${metric} should pass under smart lockout`);
  t.is(result.figures['accounts_locked']?.value, 0);
  t.true((result.figures['stale_devices']?.value ?? 0) > 0);
  t.regex(result.figures['device_syncs']?.note ?? '', /bad-password [1-9]/, 'stale passwords were presented and refused');
  t.false(result.events.some((e) => e.type === 'lockout'));
});

test('no lockout gate passes both ways', async (t) => {
  const [a, s] = await Promise.all([ad, smart]);
  for (const metric of INCIDENT_GATES) {
    t.not(gate(a.result, metric).ok, gate(s.result, metric).ok, `${metric} must tell AD lockout from smart lockout`);
  }
});
