// The proof the harness works, for the weekend migrations: with too little concurrency (as
// 2004) the replay calls roll back within the first simulated hours and fails the
// window gate (and success, since nothing more is moved); with enough movers the same replay
// passes, every moved message verified, the corrupt mailbox reported by name, live mail in
// the right store. A tenth of the default accounts (11 phases of 20), each standing for 8 in the
// move-time model, so the window is nearly as tight as at the defaults while the machine does a
// tenth of the work. One corrupt mailbox of 220 is 0.45%, so the success bar is 99.5% here
// (2009's 99.95% allowed 57 of 122,565).
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import { systemClock } from '../../engine/clock.ts';
import { seededRandom } from '../../engine/random.ts';
import { MemoryEventLog } from '../../engine/events.ts';
import { MemoryLedger } from '../../engine/ledger/memory-ledger.ts';
import { embeddedProvider } from '../../stack/embedded/index.ts';
import { gate, runScenario } from './run-cli.ts';

const FILE = 'scenarios/weekend-migration/index.ts';
const INCIDENT_GATES = ['migration_projected_ratio', 'migration_account_success'];
const HELD_GATES = ['migration_integrity_failures', 'live_mail_lost'];

/** The replay moves mail delivery per user; a stack without Stack.routeUser cannot run it. */
async function embeddedRoutesPerUser(): Promise<boolean> {
  const metrics = { declare() {}, count() {}, rate() {}, gauge() {}, trend() {} };
  const stack = await embeddedProvider.start({
    spec: { population: { organisations: [{ name: 'Probe', users: 2 }] }, mailstores: [{ name: 'source' }, { name: 'target' }], deliverTo: 'source' },
    clock: systemClock, random: seededRandom(1), metrics, ledger: new MemoryLedger({ metrics, clock: systemClock }),
    events: new MemoryEventLog(Date.now()), logDir: path.join(tmpdir(), 'mailstorm-probe-logs'),
  });
  try {
    return typeof stack.routeUser === 'function';
  } finally {
    await stack.stop();
  }
}

const supported = await embeddedRoutesPerUser();
const proof = supported ? test : test.skip;

const SMALL = ['accounts=220', 'represents=8', 'corruptShare=0.0046', 'minSuccessPct=99.5', 'duration=80s'];
const tooFew = supported ? runScenario(FILE, [...SMALL, 'movers=2']) : undefined;
const enough = supported ? runScenario(FILE, [...SMALL, 'movers=8']) : undefined;
tooFew?.catch(() => {});
enough?.catch(() => {});

proof('2 movers (2004): roll back called within the first hours; exit 1, window and success gates fail', async (t) => {
  t.timeout(280_000);
  const { code, result, stderr } = await tooFew!;
  t.is(code, 1, stderr);
  t.is(result.verdict, 'fail');
  for (const metric of INCIDENT_GATES) t.false(gate(result, metric).ok, `${metric} should fail with 2 movers`);
  t.true((gate(result, 'migration_projected_ratio').observed ?? 0) > 1, 'projected past the window');
  const rollback = result.events.find((e) => e.type === 'rollback');
  t.truthy(rollback, 'a roll back was called');
  t.true(Number(rollback?.['simHours']) <= 12, `called at ${String(rollback?.['simHours'])} simulated hours, early in a 48-hour window`);
  const checkpoints = result.events.filter((e) => e.type === 'checkpoint');
  t.true(checkpoints.length >= 1);
  t.true(checkpoints.every((e) => e['verdict'] !== 'go'), 'never a go');
  t.is(checkpoints.at(-1)?.['verdict'], 'roll back');
  t.true(Number(result.figures['accounts_moved_verified']?.value) < 220 / 4, 'the migration stopped early');
  t.is(result.figures['verdict']?.value, 2);
  t.is(result.figures['verdict']?.text, 'rolled back');
  // What the incident did not break still holds: nothing moved was damaged, no live mail lost.
  for (const metric of HELD_GATES) t.true(gate(result, metric).ok, `${metric} holds even when the migration is stopped`);
});

proof('8 movers: exit 0, go at every checkpoint, every message verified, the corrupt mailbox named, live mail in the right store', async (t) => {
  t.timeout(280_000);
  const { code, result, stderr } = await enough!;
  const checkpointsSeen = result.events.filter((e) => e.type === 'checkpoint').map((e) => `${String(e['kind'])}@${Number(e['simHours']).toFixed(1)}h:${Number(e['ratio']).toFixed(2)}`);
  t.is(code, 0, `${stderr}\ncheckpoints: ${checkpointsSeen.join(' ')}`);
  t.is(result.verdict, 'pass');
  for (const metric of [...INCIDENT_GATES, ...HELD_GATES]) t.true(gate(result, metric).ok, `${metric} should pass with 8 movers`);
  const checkpoints = result.events.filter((e) => e.type === 'checkpoint');
  t.true(checkpoints.filter((e) => e['kind'] === 'phase').length === 11, 'one checkpoint per phase');
  t.true(checkpoints.every((e) => e['verdict'] === 'go'));
  t.false(result.events.some((e) => e.type === 'rollback'));
  const corrupt = result.events.filter((e) => e.type === 'mailbox_corrupt');
  t.is(corrupt.length, 1, 'one corrupt mailbox');
  t.regex(String(corrupt[0]?.['account']), /@/);
  t.regex(result.figures['corrupt_mailboxes']?.note ?? '', new RegExp(String(corrupt[0]?.['account']).replace(/[.]/g, '\\.')), 'reported by name');
  t.is(result.figures['accounts_moved_verified']?.value, 219);
  t.true((result.figures['messages_verified']?.value ?? 0) > 219);
  t.true((result.figures['live_mail_sent']?.value ?? 0) > 0);
  t.is(result.figures['live_mail_lost']?.value, 0);
  t.is(result.ledger?.lost, 0);
});

proof('the window gate tells too few movers from enough', async (t) => {
  t.timeout(280_000);
  const [a, b] = await Promise.all([tooFew!, enough!]);
  for (const metric of INCIDENT_GATES) t.not(gate(a.result, metric).ok, gate(b.result, metric).ok, `${metric} must tell 2 movers from 8`);
});
