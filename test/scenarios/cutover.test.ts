// The proof pair for the 2004 launch-day cutover: with the runbook (readiness check, health
// gate, automatic rollback, drain-back) every gate passes; cut over blind and rolled back by
// hand, the bounce, stranded-mail, delay, RTO and mailbox gates fail with the figures that
// show it. Each gate's figure is checked against an independent count: the ledger's tally of
// accepted mail and what the mailboxes hold. The two runs go one after the other, so they do
// not starve each other on a small machine.
import test from 'ava';
import { validateTimeline } from '../../chaos/validate.ts';
import { resolveParams } from '../../harness/scenario/params.ts';
import type { RunResult } from '../../harness/result-schema.ts';
import cutover from '../../scenarios/cutover/index.ts';
import { CutoverFrontEnd, HealthWindow } from '../../scenarios/cutover/front-end.ts';
import { cutoverParams, cutoverPhases, nodeRoles } from '../../scenarios/cutover/params.ts';
import { seededRandom } from '../../engine/random.ts';
import { gate, runScenario } from './run-cli.ts';
import { allMetricsDeclared } from './declared.ts';

const FILE = 'scenarios/cutover/index.ts';
/** Gates the blind cutover of 2004 breaks. */
const INCIDENT_GATES = ['mail_stranded', 'congestion_bounced', 'window_delivery_delay', 'rollback_seconds', 'mailbox_inconsistent'];
/** Gates both runs pass: the ledger loses nothing (it counts the new store as delivered), logins survive. */
const COMMON_GATES = ['mail_lost', 'mail_missing', 'mail_duplicated', 'login_regressions', 'cutover_mail{to:old}'];

const withRunbook = runScenario(FILE, []);
const blind = withRunbook.then(() => runScenario(FILE, ['protected=false']), () => runScenario(FILE, ['protected=false']));
withRunbook.catch(() => {});
blind.catch(() => {});

const defaults = cutoverParams.parse({});

test('defaults: 500 accounts, switch at 10 s, 40 s window, hand rollback 30 s after the switch; nodes by role', (t) => {
  t.deepEqual(cutoverPhases(defaults), { switchAtMs: 10_000, loadMs: 50_000, manualRollbackAtMs: 40_000 });
  t.deepEqual(nodeRoles(defaults), ['crashes', 'healthy', 'healthy', 'never_ready']);
  t.throws(() => cutoverPhases({ ...defaults, neverReadyNodes: 3, crashingNodes: 2 }), { message: /neverReadyNodes=3/ });
  const { params } = resolveParams(cutover as never, { scale: 50 });
  t.is((params as typeof defaults).accounts, 25_000, '--scale 50 reaches the 2004 population');
});

test('the stack spec asks for two stores and a 4-node new platform sized to congest; the timeline downs the never-ready node', (t) => {
  const spec = cutover.stack?.(defaults);
  t.deepEqual(spec?.mailstores?.map((s) => s.name), ['old', 'new']);
  t.deepEqual(spec?.standby, { enabled: true, nodes: 4, mta: { deliveryRatePerSec: 3, highWater: 30 } });
  const timeline = cutover.chaos?.(defaults) ?? [];
  t.notThrows(() => validateTimeline(timeline, ['smtp-standby-4', 'submission-standby-4', 'imap-new']));
  t.deepEqual(timeline.filter((s) => s.kind === 'down').map((s) => ('proxy' in s ? s.proxy : '')), ['smtp-standby-4', 'submission-standby-4']);
});

test('front end: old until the switch, only the rotation after it, old again after the rollback; health window slides', (t) => {
  const f = new CutoverFrontEnd(seededRandom(1));
  t.deepEqual(f.route('relay'), { platform: 'old', endpoint: 'smtp' });
  f.switchTo([2, 3]);
  const seen = new Set(Array.from({ length: 50 }, () => f.route('submission').endpoint));
  t.deepEqual([...seen].sort(), ['submission-standby-2', 'submission-standby-3']);
  f.rollBack();
  t.deepEqual(f.route('submission'), { platform: 'old', endpoint: 'submission' });
  const h = new HealthWindow(3000);
  for (let i = 0; i < 10; i++) h.record(i * 100, i % 2 === 0);
  t.deepEqual(h.read(1000), { attempts: 10, failShare: 0.5 });
  t.deepEqual(h.read(10_000), { attempts: 0, failShare: 0 });
});

/** Accepted = in the mailbox + stranded + missing, and the ledger accepted the same messages. */
function assertAccounted(t: import('ava').ExecutionContext, r: RunResult): void {
  const accepted = r.figures['mail_accepted']?.value ?? -1;
  t.is(r.ledger?.expected, accepted, 'the ledger expected every accepted message');
  const stranded = r.figures['mail_stranded']?.value ?? -1;
  t.is(gate(r, 'mail_stranded').observed, stranded);
  const inBox = Number(/(\d+) of (\d+) where they belong/.exec(r.figures['mail_stranded']?.note ?? '')?.[1]);
  t.is(inBox + stranded + (gate(r, 'mail_missing').observed ?? 0), accepted);
  const bounced = r.figures['mail_bounced']?.value ?? -1;
  t.true(Math.abs((gate(r, 'congestion_bounced').observed ?? -1) - bounced / (accepted + bounced)) < 1e-3, 'the bounce share is bounced over all messages');
}

test('with the runbook: exit 0, readiness kept the dead node out, rollback within the RTO, everything moved home', async (t) => {
  const { code, result, stderr } = await withRunbook;
  t.is(code, 0, stderr);
  allMetricsDeclared(t, result);
  for (const g of result.gates) t.true(g.ok, `${g.metric} ${g.expression} observed ${g.observed}`);
  const readiness = result.events.find((e) => e.type === 'readiness_check');
  t.deepEqual(readiness?.['notReady'], [4]);
  t.deepEqual(result.events.find((e) => e.type === 'cutover_switch')?.['rotation'], [1, 2, 3]);
  t.is(result.events.find((e) => e.type === 'rollback')?.['how'], 'health gate');
  // Node 1 crashes after its 10 messages unless the health gate rolled back first (a race the
  // replay does not fix): then it must have accepted fewer than its share.
  const accepted = Number(/accepted per node (\d+)/.exec(result.figures['nodes']?.note ?? '')?.[1]);
  const crashed = result.events.some((e) => e.type === 'node_crashed' && e['node'] === 1);
  t.true(crashed ? accepted >= 10 : accepted < 10, `node 1: crashed ${crashed}, accepted ${accepted} (share 10)`);
  const rollback = gate(result, 'rollback_seconds').observed ?? Infinity;
  t.true(rollback > 0 && rollback <= 20);
  const viaNew = result.ledger?.byFlow['new']?.expected ?? 0;
  t.true(viaNew > 0, 'the new platform took mail before it failed');
  const moved = result.figures['mail_moved_back']?.value ?? 0;
  const [movedFromNew, movedFromOld] = (/(\d+) accepted by the new platform, (\d+) by the old one/.exec(result.figures['mail_moved_back']?.note ?? '') ?? []).slice(1).map(Number) as [number, number];
  t.is(movedFromNew + movedFromOld, moved, result.figures['mail_moved_back']?.note);
  t.true(movedFromNew > 0 && movedFromNew <= viaNew, `moved back ${movedFromNew} of ${viaNew} the new platform accepted (the rest it delivered home after the rollback)`);
  t.is(result.figures['mail_stranded']?.value, 0);
  t.is(result.figures['mail_bounced']?.value, 0);
  assertAccounted(t, result);
});

test('blind cutover (2004): exit 1, mail bounced and stranded, late rollback, inconsistent mailboxes', async (t) => {
  const { code, result, stderr } = await blind;
  t.is(code, 1, stderr);
  t.is(result.verdict, 'fail');
  for (const metric of INCIDENT_GATES) t.false(gate(result, metric).ok, `${metric} should fail blind`);
  for (const metric of COMMON_GATES) t.true(gate(result, metric).ok, `${metric} should pass: ${JSON.stringify(gate(result, metric))}`);
  t.false(result.events.some((e) => e.type === 'readiness_check'), 'no readiness check');
  t.deepEqual(result.events.find((e) => e.type === 'cutover_switch')?.['rotation'], [1, 2, 3, 4], 'the dead node was in rotation');
  t.is(result.events.find((e) => e.type === 'rollback')?.['how'], 'by hand');
  t.true((gate(result, 'rollback_seconds').observed ?? 0) > 20);
  t.is(result.figures['mail_moved_back']?.value, 0);
  const stranded = result.figures['mail_stranded']?.value ?? 0;
  t.true(stranded > 0 && stranded <= (result.ledger?.byFlow['new']?.expected ?? 0), 'stranded mail is mail the new platform accepted');
  t.is(result.ledger?.byFlow['new']?.lost, 0, 'the ledger alone calls it delivered: it reached the new store');
  t.true((result.figures['mail_bounced']?.value ?? 0) > 0);
  t.regex(result.figures['mail_bounced']?.note ?? '', /451/);
  t.true((gate(result, 'mailbox_inconsistent').observed ?? 0) > 0);
  assertAccounted(t, result);
});
