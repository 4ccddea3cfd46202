// The incident replays at a small scale on the docker stack, through the real CLI: the same
// ledger and gate outputs as on the embedded stack, except where the real Postfix lacks a
// feature the replay looks for (storm protection), which the report states.
import test from 'ava';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { imagesReady, leftovers } from './helpers.ts';

const CLI = fileURLToPath(new URL('../../bin/mailstorm.js', import.meta.url));

interface Result {
  verdict: string;
  ledger: { expected: number; delivered: number; lost: number; duplicated: number };
  gates: { metric: string; ok: boolean; observed: number | null }[];
  stack: { kind: string; components: { name: string; digest?: string }[]; notes: string[] };
}

async function run(args: string[]): Promise<{ code: number | null; result: Result }> {
  const out = await mkdtemp(join(tmpdir(), 'mailstorm-docker-run-'));
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'run', ...args, '--stack', 'docker', '-q', '--out', out], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('close', resolve);
  });
  return { code, result: JSON.parse(await readFile(join(out, 'result.json'), 'utf8')) as Result };
}

const gate = (r: Result, metric: string) => r.gates.find((g) => g.metric === metric);

test.before(async () => {
  await imagesReady();
});

test.after.always('no container or network labelled mailstorm is left', async (t) => {
  t.deepEqual(await leftovers(), []);
});

test('smoke: every message reaches real Dovecot once, accounted from Postfix\'s log', async (t) => {
  const { code, result } = await run(['smoke']);
  t.is(code, 0);
  t.is(result.verdict, 'pass');
  t.is(result.stack.kind, 'docker');
  t.true(result.ledger.delivered > 0);
  t.is(result.ledger.lost, 0);
  t.true(result.stack.components.some((c) => c.name === 'postfix' && c.digest?.startsWith('sha256:')));
});

test('mass-lockout with the AD policy locks accounts through real Dovecot logins and fails its gates', async (t) => {
  const { code, result } = await run(['mass-lockout', '--set', 'lockoutPolicy=ad', '--scale', '0.2']);
  t.is(code, 1);
  t.is(result.verdict, 'fail');
  t.false(gate(result, 'lockout_stale_device_accounts')?.ok ?? true);
});

test('reply-all-storm: nothing lost or duplicated through real Postfix; no storm protection is reported as such', async (t) => {
  const { result } = await run(['reply-all-storm', '--scale', '0.01']);
  t.true(gate(result, 'mail_lost')?.ok);
  t.true(gate(result, 'mail_duplicated')?.ok);
  t.true(result.ledger.delivered > 10_000);
  t.is(result.ledger.lost, 0);
  t.false(gate(result, 'storm_replyalls_before_block')?.ok ?? true);
  t.true(result.stack.notes.some((n) => n.includes('stormProtection not applied')));
});

test('leak-failover: two MTA containers, the standby takes over within the RTO', async (t) => {
  const { code, result } = await run(['leak-failover']);
  t.is(code, 0);
  t.true(gate(result, 'failover_seconds')?.ok);
  t.is(result.ledger.lost, 0);
});

test('weekend-migration is refused with a stack error naming the field it cannot honour', async (t) => {
  const out = await mkdtemp(join(tmpdir(), 'mailstorm-docker-run-'));
  const code = await new Promise<number | null>((resolve) => {
    spawn(process.execPath, [CLI, 'run', 'weekend-migration', '--stack', 'docker', '-q', '--out', out], { stdio: 'ignore' }).on('close', resolve);
  });
  t.is(code, 3);
});
