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
  // Which answers come back depends on how far the replay got (the machine is shared); that
  // every attempt got one from the fakes over TLS, and none failed to connect, does not.
  const logins = metric(result, 'imap.login_time')['count'] ?? 0;
  const failures = result.metrics.filter((m) => m.name === 'imap.login_failures');
  const reasons = Object.fromEntries(failures.map((m) => [m.tags?.['reason'] ?? '?', m.values['count'] ?? 0]));
  const refusedByServer = Object.entries(reasons).filter(([reason]) => ['authenticationfailed', 'contactadmin', 'expired', 'auth'].includes(reason)).reduce((sum, [, n]) => sum + n, 0);
  t.true(logins + refusedByServer > 0, `imap: ${logins} logins, failures ${JSON.stringify(reasons)}`);
  t.is(logins + refusedByServer, logins + Object.values(reasons).reduce((a, b) => a + b, 0), `every IMAP failure is the server's answer, none a connection or TLS failure: ${JSON.stringify(reasons)}`);
  const codes = Object.fromEntries(result.metrics.filter((m) => m.name === 'http.codes').map((m) => [m.tags?.['code'] ?? '?', m.values['count'] ?? 0]));
  const answered = (codes['200'] ?? 0) + (codes['401'] ?? 0) + (codes['403'] ?? 0);
  t.log(`imap logins ${logins}, refused ${JSON.stringify(reasons)}; https answers ${JSON.stringify(codes)}`);
  t.true(answered > 0, `http codes: ${JSON.stringify(codes)}`);
  t.is(answered, Object.values(codes).reduce((a, b) => a + b, 0), `every https request got the fake's answer (200, 401 or 403), none status 0: ${JSON.stringify(codes)}`);
});
