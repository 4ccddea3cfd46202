// OAuth2 against a platform mailstorm does not run: the embedded stack with auth: oauth2 (its
// fakes take only tokens its directory issued), described to mailstorm as a remote one by a
// config file. Tokens come from a command per account or from one file for every account; a
// wrong token is counted as login failures with the codes the platform answered; no file the
// run writes, and nothing it prints, holds a token.
import test, { type ExecutionContext } from 'ava';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { embeddedProvider } from '../../stack/embedded/index.ts';
import type { Stack } from '../../stack/types.ts';
import type { RunResult } from '../../harness/result-schema.ts';
import { runCli, type CliResult } from '../cli/helpers.ts';
import { stackOptions } from '../stack-embedded/helpers.ts';

async function tempDir(t: ExecutionContext): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mailstorm-oauth-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function oauthPlatform(users: number) {
  const options = stackOptions({ population: { organisations: [{ name: 'OAuth Trust', users }] }, lockout: { policy: 'none' } });
  const platform = await embeddedProvider.start({ ...options, config: { auth: 'oauth2' } });
  return { platform, metrics: options.metrics };
}

function remoteConfig(platform: Stack, lines: string[]): string {
  const e = platform.endpoints;
  return [
    'description: an embedded stack that takes OAuth2 only, described as a remote one',
    'allow: [127.0.0.1]',
    `smtp: { host: 127.0.0.1, port: ${e.smtp.port} }`,
    `submission: { host: 127.0.0.1, port: ${e.submission.port} }`,
    `imap: { host: 127.0.0.1, port: ${e.imap.port} }`,
    `activesync: ${e.activesync}`,
    // the platform is this test's own: its owner raises the caps (user-day opens a connection per VU)
    'caps: { submission: { rate: 100, connections: 500 }, imap: { rate: 500, connections: 500 }, activesync: { rate: 100, connections: 500 } }',
    ...lines,
    '',
  ].join('\n');
}

const sum = (result: RunResult, name: string, tags: Record<string, string> = {}, value = 'count') =>
  result.metrics.filter((m) => m.name === name && Object.entries(tags).every(([k, v]) => m.tags[k] === v)).reduce((a, m) => a + (m.values[value] ?? 0), 0);

// Correctness, not capacity: the 2 shared cores may be busy, so an overloaded rig does not make these inconclusive.
const liftRig = ['eventLoopDelayP99Ms', 'harnessCpuShare', 'cpuWaitShare', 'gcShare', 'scheduleLagP95Ms', 'replayLagP95Ms', 'droppedIterations'].flatMap((l) => ['--rig-limit', `${l}=none`]);

/** No file in `out`, and nothing the command printed, holds one of the secrets. */
async function assertNoSecret(t: ExecutionContext, out: string, cli: CliResult, secrets: string[]): Promise<void> {
  const files = await readdir(out, { recursive: true, withFileTypes: true });
  let checked = 0;
  for (const f of files.filter((d) => d.isFile())) {
    const text = await readFile(path.join(f.parentPath, f.name), 'utf8');
    checked++;
    for (const secret of secrets) t.false(text.includes(secret), `${f.name} holds a token`);
  }
  t.true(checked >= 3, `${checked} files checked`);
  for (const secret of secrets) t.false(cli.stdout.includes(secret) || cli.stderr.includes(secret), 'the output holds a token');
}

test.serial('smoke via submission over XOAUTH2, each account\'s token from a command: every send accepted, every login XOAUTH2, every message found over IMAP', async (t) => {
  t.timeout(120_000);
  const { platform, metrics } = await oauthPlatform(6);
  t.teardown(() => platform.stop());
  const directory = platform.directory!;
  const dir = await tempDir(t);
  const addresses = Array.from({ length: directory.userCount }, (_, i) => directory.addressAt(i));
  const tokens = Object.fromEntries(addresses.map((a) => [a, platform.oauthTokens!.tokenFor(a)]));
  // the "identity provider's" command line tool: the account's token for the address it is given
  await writeFile(path.join(dir, 'tokens.json'), JSON.stringify(tokens));
  await writeFile(path.join(dir, 'get-token.mjs'), "import { readFileSync } from 'node:fs';\nconsole.log(JSON.parse(readFileSync(new URL('tokens.json', import.meta.url), 'utf8'))[process.argv[2]]);\n");
  const rows = addresses.map((a) => `${a},oauth-trust,,command:${process.execPath} get-token.mjs ${a}`);
  await writeFile(path.join(dir, 'accounts.csv'), `address,organisation,password,token\n${rows.join('\n')}\n`);
  const config = path.join(dir, 'platform.yaml');
  // deliveries counted by reading the mailboxes over IMAP, logged in with the same tokens
  await writeFile(config, remoteConfig(platform, ['population: accounts.csv', 'auth: { type: oauth2 }', 'reconcile:', '  imap: { timeout: 30s, interval: 1s }']));
  const out = path.join(dir, 'out');
  const cli = await runCli(['run', 'smoke', '--stack', 'remote', '--config', config, '--out', out, '--set', 'via=submission', '--set', 'rate=10', '--set', 'duration=3s', '--quiet', ...liftRig], dir);
  t.is(cli.code, 0, cli.stdout + cli.stderr);
  const result = JSON.parse(await readFile(path.join(out, 'result.json'), 'utf8')) as RunResult;
  t.is(result.verdict, 'pass');
  const passes = sum(result, 'smtp.success', {}, 'passes');
  t.is(sum(result, 'smtp.success', {}, 'fails'), 0);
  t.true(passes >= 20, `${passes} sends`);
  t.is(sum(result, 'smtp.auth_failures'), 0);
  // the platform saw one XOAUTH2 login per pooled connection, and took every message
  t.true(metrics.total('mta.logins', { mechanism: 'XOAUTH2' }) >= 1);
  t.is(metrics.total('mta.logins', { mechanism: 'PLAIN' }) + metrics.total('mta.logins', { mechanism: 'LOGIN' }), 0);
  t.is(metrics.total('mta.accepted'), passes);
  t.is(result.ledger?.delivered, passes, 'every message found in its mailbox by an XOAUTH2 IMAP login');
  t.is(result.ledger?.lost, 0);
  t.true(result.stack.notes.some((n) => /^auth: oauth2 .*6 accounts with their own token from the population file$/.test(n)), result.stack.notes.join('\n'));
  await assertNoSecret(t, out, cli, Object.values(tokens));
});

const userDay = ['--set', 'users=6', '--set', 'profile=light', '--set', 'simHours=2', '--set', 'duration=4s', '--set', 'mobileShare=1', '--set', 'minTasksAchieved=0', '--set', 'maxTaskP99Ms=600000', '--quiet', ...liftRig];

test.serial('user-day with one token from a file for every account: submission, IMAP and ActiveSync all log in with it', async (t) => {
  t.timeout(150_000);
  const { platform, metrics } = await oauthPlatform(6);
  t.teardown(() => platform.stop());
  const directory = platform.directory!;
  const dir = await tempDir(t);
  const service = platform.oauthTokens!.serviceToken();
  await writeFile(path.join(dir, 'service.token'), `${service}\n`);
  const env: Record<string, string> = {};
  const rows = Array.from({ length: directory.userCount }, (_, i) => {
    env[`OAUTH_PW_${i}`] = directory.user(directory.addressAt(i))!.password;
    return `${directory.addressAt(i)},oauth-trust,env:OAUTH_PW_${i}`;
  });
  await writeFile(path.join(dir, 'accounts.csv'), `address,organisation,password\n${rows.join('\n')}\n`);
  const config = path.join(dir, 'platform.yaml');
  await writeFile(config, remoteConfig(platform, ['population: accounts.csv', 'auth: { type: oauth2, token: file:service.token }']));
  const out = path.join(dir, 'out');
  Object.assign(process.env, env);
  const running = runCli(['run', 'user-day', '--stack', 'remote', '--config', config, '--out', out, ...userDay], dir);
  for (const name of Object.keys(env)) delete process.env[name];
  const cli = await running;
  const result = JSON.parse(await readFile(path.join(out, 'result.json'), 'utf8')) as RunResult;
  t.not(result.verdict, 'error', cli.stdout + cli.stderr);
  t.true(sum(result, 'smtp.success', { flow: 'send' }, 'passes') > 0);
  t.is(sum(result, 'smtp.success', { flow: 'send' }, 'fails'), 0);
  const logins = sum(result, 'imap.login_time');
  t.true(logins > 0, `${logins} IMAP logins`);
  t.is(sum(result, 'imap.login_failures'), 0);
  t.true(sum(result, 'http.codes', { code: '200' }) > 0);
  t.is(sum(result, 'http.codes', { code: '401' }), 0);
  t.is(metrics.total('mta.auth_failures'), 0);
  t.true(metrics.total('mta.logins', { mechanism: 'XOAUTH2' }) >= 1);
  t.true(result.stack.notes.some((n) => n.includes(`one token from the file ${path.join(dir, 'service.token')} for every account`)), result.stack.notes.join('\n'));
  await assertNoSecret(t, out, cli, [service, ...Object.values(env)]);
});

test.serial('a wrong token is refused with the platform\'s codes (535 5.7.8, NO [AUTHENTICATIONFAILED], 401) and counted as login failures', async (t) => {
  t.timeout(150_000);
  const { platform, metrics } = await oauthPlatform(6);
  t.teardown(() => platform.stop());
  const directory = platform.directory!;
  const dir = await tempDir(t);
  const wrong = 'ms-at.this-token-was-revoked-long-ago';
  const env: Record<string, string> = {};
  const rows = Array.from({ length: directory.userCount }, (_, i) => {
    env[`OAUTH_PW_${i}`] = directory.user(directory.addressAt(i))!.password;
    return `${directory.addressAt(i)},oauth-trust,env:OAUTH_PW_${i}`;
  });
  await writeFile(path.join(dir, 'accounts.csv'), `address,organisation,password\n${rows.join('\n')}\n`);
  const config = path.join(dir, 'platform.yaml');
  await writeFile(config, remoteConfig(platform, ['population: accounts.csv', `auth: { type: oauth2, token: 'command:${process.execPath} -e "console.log(process.argv[1])" ${wrong}' }`]));
  const out = path.join(dir, 'out');
  Object.assign(process.env, env);
  const running = runCli(['run', 'user-day', '--stack', 'remote', '--config', config, '--out', out, ...userDay], dir);
  for (const name of Object.keys(env)) delete process.env[name];
  const cli = await running;
  t.is(cli.code, 1, cli.stdout + cli.stderr);
  const result = JSON.parse(await readFile(path.join(out, 'result.json'), 'utf8')) as RunResult;
  t.is(result.verdict, 'fail');
  const refusedSends = sum(result, 'smtp.codes', { code: '535', flow: 'send' });
  t.true(refusedSends > 0);
  t.is(sum(result, 'smtp.success', { flow: 'send' }, 'passes'), 0);
  t.is(sum(result, 'smtp.auth_failures', { mechanism: 'XOAUTH2', code: '535' }), refusedSends, 'every refused send counted once: the token read again was the same, so no retry');
  t.is(metrics.total('mta.auth_failures', { reason: 'bad-token' }), refusedSends, 'the platform refused exactly those logins');
  t.true(sum(result, 'imap.login_failures', { reason: 'authenticationfailed', mechanism: 'XOAUTH2' }) > 0);
  t.is(sum(result, 'imap.login_time'), 0);
  t.true(sum(result, 'http.codes', { code: '401' }) > 0);
  t.is(sum(result, 'http.codes', { code: '200' }), 0);
  t.is(sum(result, 'http.auth_failures', { scheme: 'bearer' }), sum(result, 'http.codes', { code: '401' }));
  // the iteration errors name the codes, never the token
  const errors = JSON.stringify(result).match(/535 5\.7\.8[^"]*/g) ?? [];
  t.true(errors.length > 0, 'the SMTP refusal is in the result');
  await assertNoSecret(t, out, cli, [wrong, ...Object.values(env)]);
});

test.serial('the embedded stack with --config auth: oauth2 over STARTTLS: mailstorm\'s own clients log in with the directory\'s tokens and every message is delivered once', async (t) => {
  t.timeout(120_000);
  const dir = await tempDir(t);
  const config = path.join(dir, 'oauth.yaml');
  // a token goes over an encrypted session, as a platform that takes OAuth2 requires
  await writeFile(config, 'auth: oauth2\ntls: starttls\n');
  const out = path.join(dir, 'out');
  const cli = await runCli(['run', 'smoke', '--config', config, '--out', out, '--set', 'via=submission', '--set', 'rate=10', '--set', 'duration=2s', '--quiet', ...liftRig], dir);
  t.is(cli.code, 0, cli.stdout + cli.stderr);
  const result = JSON.parse(await readFile(path.join(out, 'result.json'), 'utf8')) as RunResult;
  t.is(result.verdict, 'pass');
  const passes = sum(result, 'smtp.success', {}, 'passes');
  t.true(passes >= 10, `${passes} sends`);
  t.is(sum(result, 'smtp.success', {}, 'fails'), 0);
  t.is(result.ledger?.delivered, passes, 'the embedded stack sees its deliveries: each accepted message arrived');
  t.is(result.ledger?.lost, 0);
  t.true(sum(result, 'mta.logins', { mechanism: 'XOAUTH2' }) >= 1);
  t.is(sum(result, 'mta.auth_failures'), 0);
  t.true(result.stack.notes.some((n) => n.startsWith('auth: oauth2 (XOAUTH2 on submission and IMAP')));
  t.true(result.stack.notes.some((n) => /starttls/i.test(n)), result.stack.notes.join('\n'));
});
