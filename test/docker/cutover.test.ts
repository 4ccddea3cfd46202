// The 2004 cutover pair on real Postfix and Dovecot, through the CLI: the new platform is one
// standby Postfix behind four nodes' proxies, paced and congested by postfwd as the stack notes
// say; the new store is its own Dovecot container. With the runbook every gate passes and the
// drain-back moves what reached the new store home; cut over blind, the mail bounces on
// postfwd's 451 and stays stranded on the new store. Half the default population and a shorter
// window keep the pair to about three minutes; the rig's CPU-wait and lag limits are lifted
// because the containers share the two cores with the harness.
import test from 'ava';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExecutionContext } from 'ava';
import type { RunResult } from '../../harness/result-schema.ts';
import { imagesReady, leftovers } from './helpers.ts';

const CLI = fileURLToPath(new URL('../../bin/mailstorm.js', import.meta.url));
const SMALL = ['cutover', '--scale', '0.5', '--set', 'baselineSeconds=5', '--rig-limit', 'cpuWaitShare=none', '--rig-limit', 'replayLagP95Ms=none'];
/** Gates the blind cutover of 2004 breaks, and the ones both runs pass. */
const INCIDENT_GATES = ['mail_stranded', 'congestion_bounced', 'window_delivery_delay', 'rollback_seconds', 'mailbox_inconsistent'];
const COMMON_GATES = ['mail_lost', 'mail_missing', 'mail_duplicated', 'login_regressions', 'cutover_mail{to:old}'];

interface Run {
  code: number | null;
  out: string;
  result: RunResult;
  wallSeconds: number;
}

async function run(args: string[]): Promise<Run> {
  const out = await mkdtemp(join(tmpdir(), 'mailstorm-docker-cutover-'));
  const started = Date.now();
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'run', ...args, '--stack', 'docker', '-q', '--out', out], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('close', resolve);
  });
  const result = JSON.parse(await readFile(join(out, 'result.json'), 'utf8')) as RunResult;
  return { code, out, result, wallSeconds: Math.round((Date.now() - started) / 100) / 10 };
}

const gate = (r: RunResult, metric: string) => r.gates.find((g) => g.metric === metric);
const figure = (r: RunResult, name: string) => r.figures[name];
const metricCount = (r: RunResult, name: string) => r.metrics.filter((m) => m.name === name).reduce((sum, m) => sum + ((m.values as { count?: number }).count ?? 0), 0);

/** The figures a reader of the report would quote, logged with the run's wall time. */
function logFigures(t: ExecutionContext, label: string, r: Run): void {
  const f = (name: string) => figure(r.result, name)?.value;
  t.log(`${label}: exit ${r.code}, ${r.wallSeconds} s wall; accepted ${f('mail_accepted')}, bounced ${f('mail_bounced')} (share ${gate(r.result, 'congestion_bounced')?.observed}), ` +
    `stranded ${f('mail_stranded')}, moved back ${f('mail_moved_back')}, rollback ${gate(r.result, 'rollback_seconds')?.observed ?? f('rollback_seconds')} s, ` +
    `window delay p99 ${f('window_delivery_delay_p99')} s, inconsistent mailboxes ${f('mailbox_inconsistent')}, ledger lost ${r.result.ledger?.lost}; ${figure(r.result, 'nodes')?.note}`);
}

/** Accepted = in the mailbox + stranded + missing, and the ledger expected exactly the accepted messages. */
function assertAccounted(t: ExecutionContext, r: RunResult): void {
  const accepted = figure(r, 'mail_accepted')?.value ?? -1;
  t.is(r.ledger?.expected, accepted, 'the ledger expected every accepted message');
  const stranded = figure(r, 'mail_stranded')?.value ?? -1;
  t.is(gate(r, 'mail_stranded')?.observed, stranded);
  const inBox = Number(/(\d+) of (\d+) where they belong/.exec(figure(r, 'mail_stranded')?.note ?? '')?.[1]);
  t.is(inBox + stranded + (gate(r, 'mail_missing')?.observed ?? 0), accepted);
}

test.before(async () => {
  await imagesReady();
});

test.after.always('no container or network labelled mailstorm is left', async (t) => {
  t.deepEqual(await leftovers(), []);
});

test.serial('with the runbook on docker: the dead node kept out, rollback by the health gate within the RTO, the new store drained home, nothing lost', async (t) => {
  // The rollback comes seconds after the switch: 20 s of window show the drain-back and the old platform carrying on.
  const r = await run([...SMALL, '--set', 'windowSeconds=20']);
  logFigures(t, 'protected', r);
  const { result } = r;
  t.is(r.code, 0);
  t.is(result.stack.kind, 'docker');
  for (const g of result.gates) t.true(g.ok, `${g.metric} ${g.expression} observed ${g.observed}`);
  t.deepEqual(result.events.find((e) => e.type === 'readiness_check')?.['notReady'], [4], 'the never-ready node failed its banner check through its proxies');
  t.deepEqual(result.events.find((e) => e.type === 'cutover_switch')?.['rotation'], [1, 2, 3]);
  t.is(result.events.find((e) => e.type === 'rollback')?.['how'], 'health gate');
  const rollback = gate(result, 'rollback_seconds')?.observed ?? Infinity;
  t.true(rollback > 0 && rollback <= 20, `rollback ${rollback} s`);
  t.true((result.ledger?.byFlow['new']?.expected ?? 0) > 0, 'real Postfix on the new platform accepted mail before it failed');
  t.true((figure(result, 'mail_moved_back')?.value ?? 0) > 0, 'the drain-back moved mail off the new Dovecot');
  t.is(figure(result, 'mail_stranded')?.value, 0);
  t.is(figure(result, 'mail_bounced')?.value, 0);
  t.is(result.ledger?.lost, 0);
  t.is(result.ledger?.duplicated, 0);
  assertAccounted(t, result);
  // The stack says how it sized the new platform.
  t.true(result.stack.notes.some((n) => n.startsWith('standby.nodes=4: one standby Postfix container behind 4 proxy pairs')));
  t.true(result.stack.notes.some((n) => n.includes('standby.mta.highWater=15 approximated by postfwd')));
  t.true(result.stack.notes.some((n) => n.includes('standby.mta.deliveryRatePerSec=1.5 applied as 2 LMTP destinations')));
});

test.serial('blind cutover on docker (2004): postfwd\'s 451 bounces mail, the crashed node refuses, mail stays stranded on the new Dovecot', async (t) => {
  // Still longer than the 20 s RTO before the rollback by hand, inside a 30 s window.
  const r = await run([...SMALL, '--set', 'protected=false', '--set', 'windowSeconds=30', '--set', 'manualRollbackAfterSeconds=25']);
  logFigures(t, 'blind', r);
  const { result } = r;
  t.is(r.code, 1);
  t.is(result.verdict, 'fail');
  for (const metric of INCIDENT_GATES) t.false(gate(result, metric)?.ok ?? true, `${metric} should fail blind`);
  for (const metric of COMMON_GATES) t.true(gate(result, metric)?.ok, `${metric} should pass: ${JSON.stringify(gate(result, metric))}`);
  t.deepEqual(result.events.find((e) => e.type === 'cutover_switch')?.['rotation'], [1, 2, 3, 4], 'the dead node was in rotation');
  t.true(result.events.some((e) => e.type === 'node_crashed' && e['node'] === 1), 'node 1 crashed after its messages');
  t.is(result.events.find((e) => e.type === 'rollback')?.['how'], 'by hand');
  t.true((gate(result, 'rollback_seconds')?.observed ?? 0) > 20);
  const stranded = figure(result, 'mail_stranded')?.value ?? 0;
  t.true(stranded > 0, 'mail stayed on the new platform\'s Dovecot');
  t.is(result.ledger?.lost, 0, 'the ledger alone calls it delivered: it reached the new store');
  // The congestion is real Postfix answering postfwd's limit: the replay's bounces saw 451, and
  // every refusal Postfix logged was counted.
  t.true((figure(result, 'mail_bounced')?.value ?? 0) > 0);
  t.regex(figure(result, 'mail_bounced')?.note ?? '', /451/);
  const log = await readFile(join(r.out, 'logs', 'mta-standby.log'), 'utf8');
  const refusals = log.split('\n').filter((l) => /NOQUEUE: reject: RCPT .*451 4\.3\.2 .*Platform congested/.test(l)).length;
  t.true(refusals > 0);
  t.is(metricCount(result, 'mta.refused_backlog'), refusals);
  assertAccounted(t, result);
});
