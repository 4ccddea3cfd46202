// The proof the harness works, for the 2018 leak and hard failure: with a broken standby
// (as 2018) the replay fails the failover and standby gates, with figures showing users shut
// out; with a working standby the same leak and failure pass. Both runs use the defaults and
// start at once. The helpers the replay is built from are checked directly first.
import test from 'ava';
import type { ExecutionContext } from 'ava';
import type { ChaosEvent } from '../../chaos/types.ts';
import { validateTimeline } from '../../chaos/validate.ts';
import { MemoryEventLog } from '../../engine/events.ts';
import { resolveParams } from '../../harness/scenario/params.ts';
import type { RunResult } from '../../harness/result-schema.ts';
import leakFailover from '../../scenarios/leak-failover/index.ts';
import { assess } from '../../scenarios/leak-failover/assess.ts';
import { leakFailoverParams, phases } from '../../scenarios/leak-failover/params.ts';
import { SubmissionTrendAlarm } from '../../scenarios/leak-failover/trend-alarm.ts';
import { gate, runScenario } from './run-cli.ts';

const FILE = 'scenarios/leak-failover/index.ts';
/** Gates the 2018 incident broke: they must fail with a broken standby and pass with a working one. */
const INCIDENT_GATES = ['failover_seconds', 'standby_accepted_after_failure', 'standby_check_ok'];
/** Gates a broken standby does not touch: the same leak is detected, and accepted mail still arrives. */
const COMMON_GATES = ['degradation_lead_days', 'mail_lost{flow:primary}', 'mail_delivered{flow:primary}', 'mail_lost', 'mail_duplicated'];

const broken = runScenario(FILE, ['standbyBroken=true']);
const working = runScenario(FILE, []);
// Both runs start at once; make sure a failure of one is not left unhandled while the other is awaited.
broken.catch(() => {});
working.catch(() => {});

const defaults = leakFailoverParams.parse({});

test('defaults: 20 s healthy, a 35-day leak at one second a day, failure, 25 s of failover watch', (t) => {
  const p = phases(defaults);
  t.deepEqual(p, { leakStartMs: 20_000, leakMs: 35_000, failAtMs: 55_000, loadMs: 80_000, compression: 86_400 });
  t.throws(() => phases({ ...defaults, leakWeeks: 52, secondsPerSimDay: 60 }), { message: /leakWeeks=52/ });
});

test('the timeline is valid, targets the primary only, and ends in a hard failure at the planned time', (t) => {
  const timeline = leakFailover.chaos?.(defaults) ?? [];
  t.notThrows(() => validateTimeline(timeline, ['submission', 'submission-standby', 'smtp']));
  t.true(timeline.every((s) => ('proxy' in s ? s.proxy : s.toxic.proxy) === 'submission'));
  const failures = timeline.filter((s) => s.kind === 'down');
  t.deepEqual(failures, [{ kind: 'down', proxy: 'submission', at: 55_000 }]);
  t.true(timeline.some((s) => s.kind === 'ramp' && s.type === 'latency' && s.to === 1200));
  t.true(timeline.some((s) => s.kind === 'ramp' && s.type === 'bandwidth' && s.stream === 'upstream' && s.to === 20));
  t.true(timeline.filter((s) => s.kind === 'add' && s.toxic.type === 'timeout').length >= 5, 'stalls while the leak grows');
});

test('--set standbyBroken=true asks the stack for a broken standby', (t) => {
  const { params } = resolveParams(leakFailover as never, { set: ['standbyBroken=true'] });
  t.deepEqual(leakFailover.stack?.(params as typeof defaults).standby, { enabled: true, broken: true });
  t.deepEqual(leakFailover.stack?.(defaults).standby, { enabled: true, broken: false });
});

test('trend alarm: quiet on a flat series, fires on a ramp and records degradation_detected', (t) => {
  let now = 0;
  const events = new MemoryEventLog(0, () => now);
  const alarm = new SubmissionTrendAlarm({ events, minAbsoluteIncrease: 250 });
  for (let s = 0; s < 30; s++) {
    now = s * 1000;
    for (const v of [12, 15, 18, 40]) alarm.sample(v);
    alarm.tick(s);
  }
  t.is(alarm.detection, undefined, 'a flat series with noise never alarms');
  t.is(alarm.tick(30), undefined, 'a second with no accepted submission is no sample');
  for (let s = 31; s < 60 && !alarm.detection; s++) {
    now = s * 1000;
    alarm.sample(15 + (s - 30) * 60);
    alarm.tick(s);
  }
  const detected = events.all().find((e) => e.type === 'degradation_detected');
  t.truthy(detected);
  t.true((detected?.t ?? 0) > 31_000 && (detected?.t ?? 0) < 50_000);
  t.true((alarm.detection?.slopePerSec ?? 0) > 0, 'a ramp, not a step');
});

test('assess: lead time, failover time from the hard failure, standby mail before it ignored', (t) => {
  const events = [
    { t: 100, type: 'failover_rule' },
    { t: 20_000, type: 'fault', action: 'add', target: 'submission' },
    { t: 30_000, type: 'degradation_detected' },
    { t: 55_000, type: 'fault', action: 'disable', target: 'submission' },
    { t: 60_000, type: 'fault', action: 'add', target: 'smtp' },
  ];
  const a = assess(events, 'submission', [40_000, 57_500, 58_000], 80_000);
  t.deepEqual(a, {
    leakStartedAtMs: 20_000, detectedAtMs: 30_000, failedAtMs: 55_000, watchedAfterFailureSeconds: 25, leadSeconds: 25, failoverSeconds: 2.5, standbyAcceptsAfterFailure: 2,
  });
  const none = assess(events.filter((e) => e.type !== 'degradation_detected'), 'submission', [40_000], 80_000);
  t.is(none.leadSeconds, undefined);
  t.is(none.failoverSeconds, undefined);
  t.is(none.standbyAcceptsAfterFailure, 0);
});

/** Every toxic the run added was removed again and every proxy it disabled re-enabled, ending in a rollback record. */
function assertRolledBack(t: ExecutionContext, chaos: readonly ChaosEvent[]): void {
  const toxics = new Set<string>();
  const disabled = new Set<string>();
  for (const e of chaos) {
    const key = `${e.target}/${e.toxic ?? ''}`;
    if (e.action === 'add') toxics.add(key);
    if (e.action === 'remove') toxics.delete(key);
    if (e.action === 'disable') disabled.add(e.target);
    if (e.action === 'enable') disabled.delete(e.target);
  }
  t.deepEqual([...toxics], [], 'toxics left behind');
  t.deepEqual([...disabled], [], 'proxies left disabled');
  t.is(chaos.at(-1)?.action, 'rollback');
}

/** The leak played on the primary, the alarm fired after it started and before the hard failure. */
function assertLeakAndAlarm(t: ExecutionContext, result: RunResult): void {
  const added = result.chaos.filter((e) => e.action === 'add' && e.target === 'submission').map((e) => e.toxic);
  t.true(added.includes('leak_latency') && added.includes('leak_bandwidth'));
  t.true(result.chaos.some((e) => e.action === 'update' && e.toxic === 'leak_latency'), 'the leak worsened in place');
  const leakAt = result.chaos.find((e) => e.action === 'add')?.t ?? Infinity;
  const failAt = result.chaos.find((e) => e.action === 'disable' && e.target === 'submission')?.t;
  t.truthy(failAt, 'the primary failed hard');
  const alarm = result.events.find((e) => e.type === 'degradation_detected');
  t.truthy(alarm, 'degradation_detected is in result.json');
  t.true((alarm?.t ?? -1) > leakAt, 'the alarm answered the leak, not noise before it');
  t.true((alarm?.t ?? Infinity) < (failAt ?? 0), 'the alarm came before the hard failure');
  t.true((gate(result, 'degradation_lead_days').observed ?? 0) >= 7);
  t.is(result.figures['time_compression']?.value, 86_400);
  t.regex(result.figures['degradation_lead_days']?.note ?? '', /86,400x/);
}

test('broken standby (2018): exit 1, failover and standby gates fail with what was observed', async (t) => {
  const { code, result, stderr } = await broken;
  t.is(code, 1, stderr);
  t.is(result.verdict, 'fail');
  t.true(result.complete);
  for (const metric of INCIDENT_GATES) t.false(gate(result, metric).ok, `${metric} should fail with a broken standby`);
  for (const metric of COMMON_GATES) t.true(gate(result, metric).ok, `${metric} should pass: ${JSON.stringify(gate(result, metric))}`);
  t.is(gate(result, 'failover_seconds').reason, 'no samples');
  t.is(gate(result, 'standby_accepted_after_failure').observed, 0);
  t.is(gate(result, 'standby_check_ok').observed, 0);
  t.is(result.figures['standby_healthy']?.value, 0);
  t.regex(result.figures['failover_seconds']?.note ?? '', /no failover/);
  t.true((result.figures['submissions_refused_after_failure']?.value ?? 0) > 0, 'users were shut out after the failure');
  t.true(result.events.some((e) => e.type === 'failover' && e['from'] === 'submission' && e['to'] === null), 'the front end had nowhere to send');
  t.is(result.ledger?.byFlow['standby'], undefined, 'the standby accepted nothing');
  assertLeakAndAlarm(t, result);
  assertRolledBack(t, result.chaos);
});

test('working standby: exit 0, every gate passes, failover well within the RTO', async (t) => {
  const { code, result, stderr } = await working;
  t.is(code, 0, stderr);
  t.is(result.verdict, 'pass');
  for (const g of result.gates) t.true(g.ok, `${g.metric} ${g.expression} observed ${g.observed}`);
  const failover = gate(result, 'failover_seconds').observed ?? Infinity;
  t.true(failover >= 0 && failover <= 60);
  t.true((gate(result, 'standby_accepted_after_failure').observed ?? 0) > 0);
  t.is(result.figures['standby_healthy']?.value, 1);
  t.true(result.events.some((e) => e.type === 'failover' && e['to'] === 'submission-standby'));
  t.true((result.ledger?.byFlow['standby']?.delivered ?? 0) > 0);
  t.is(result.ledger?.byFlow['primary']?.lost, 0);
  assertLeakAndAlarm(t, result);
  assertRolledBack(t, result.chaos);
});

test('each incident gate tells a broken standby from a working one', async (t) => {
  const [b, w] = await Promise.all([broken, working]);
  for (const metric of INCIDENT_GATES) t.not(gate(b.result, metric).ok, gate(w.result, metric).ok, metric);
  for (const metric of COMMON_GATES) t.true(gate(b.result, metric).ok && gate(w.result, metric).ok, metric);
});
