// Exported scripts against a platform that takes OAuth2 only (the embedded stack with auth:
// oauth2 and implicit TLS), under the xk6-tcp shim: with AUTH=oauth2 IMAP logins and
// submission go out as SASL XOAUTH2 with each account's token from the accounts file, or with
// OAUTH2_TOKEN for every account; the token is never in the script; passwords are refused by
// the platform; the ActiveSync stale-device flow is refused by name.
import test from 'ava';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { accountRows, accountsText, k6EnvLine } from '../../cli/fakes-k6.ts';
import { resolveParams } from '../../harness/scenario/params.ts';
import { exportK6 } from '../../k6/export.ts';
import { scriptSource } from '../../k6/script-source.ts';
import type { K6Options } from '../../k6/k6-options.ts';
import { builtIns } from '../../scenarios/index.ts';
import { embeddedProvider } from '../../stack/embedded/index.ts';
import type { Stack } from '../../stack/types.ts';
import { eventually } from '../fakes-smtp/helpers.ts';
import { stackOptions } from '../stack-embedded/helpers.ts';
import { state } from './shim/execution.ts';
import { loadScript } from './shim/load-script.ts';
import { recorded } from './shim/metrics.ts';
import { sentIds, tlsConfig } from './shim/tcp.ts';

async function exported(name: string, flows: string[], auth?: string): Promise<string> {
  const definition = await builtIns.load(name);
  const { params } = resolveParams(definition, {});
  return (await exportK6({ definition, params: params as Record<string, unknown>, flows, tls: 'implicit', ...(auth !== undefined && { auth }) })).files['script.ts']!;
}

/** The env line `fakes up --for k6` prints, with the accounts file it writes (tokens included when `withTokens`). */
async function envFor(stack: Stack, withTokens: boolean): Promise<Record<string, string>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mailstorm-k6-oauth-'));
  const file = path.join(dir, 'accounts.json');
  await writeFile(file, accountsText(accountRows(stack.directory!, withTokens ? stack.oauthTokens : undefined), file));
  return Object.fromEntries(k6EnvLine(stack.endpoints, file, 'oauth1', 'oauth2').split(' ').map((kv) => kv.split('=') as [string, string]));
}

const imapLogins = () => recorded.filter((r) => r.name === 'k6_imap_login_ok').map((r) => r.value);

test.serial('AUTH=oauth2: IMAP logins and submission use XOAUTH2 with each account\'s token from the accounts file; passwords are refused by the platform', async (t) => {
  const logDir = await mkdtemp(path.join(tmpdir(), 'mailstorm-k6-oauth-logs-'));
  const options = { ...stackOptions({ population: { organisations: [{ name: 'T', users: 3 }] }, lockout: { policy: 'none' } }), logDir, config: { tls: 'implicit', auth: 'oauth2' } };
  await using stack = await embeddedProvider.start(options);
  tlsConfig.ca = stack.endpoints.tls!['imap']!.ca!;
  tlsConfig.rejectUnauthorized = true;
  const env = await envFor(stack, true);
  t.is(env['AUTH'], 'oauth2');

  const source = await exported('mass-lockout', ['users']);
  t.regex(source, /const AUTH = env\('AUTH', 'password'\)/);
  t.false(source.includes(stack.oauthTokens!.tokenFor(stack.directory!.addressAt(0))), 'no token in the script');
  const users = await loadScript(source, env);
  recorded.length = 0;
  for (let i = 0; i < 3; i++) await (users['users'] as () => Promise<void>)();
  t.deepEqual(imapLogins(), [1, 1, 1]);

  // the same script with passwords: the OAuth2-only platform answers NO to every LOGIN
  const withPasswords = await loadScript(source, { ...env, AUTH: 'password' });
  recorded.length = 0;
  for (let i = 0; i < 2; i++) await (withPasswords['users'] as () => Promise<void>)();
  t.deepEqual(imapLogins(), [0, 0]);

  // submission (no built-in replay exports one yet): AUTH XOAUTH2 with the sender's token
  const plan = {
    scenario: 'oauth-submission', params: {}, gates: {}, stays: {}, tls: 'implicit' as const, auth: 'oauth2' as const,
    options: { scenarios: { mail: { executor: 'shared-iterations', vus: 1, iterations: 2, exec: 'mail' } }, thresholds: {} } as unknown as K6Options,
    flows: { mail: { kind: 'smtp' as const, endpoint: 'submission' as const } },
  };
  const submission = await loadScript(scriptSource(plan), { ...env, AUTH: '' });
  sentIds.length = 0;
  for (let i = 0; i < 2; i++) {
    state.scenario = { name: 'mail', iterationInTest: i };
    await (submission['mail'] as () => Promise<void>)();
  }
  t.is(sentIds.length, 2);
  for (const m of sentIds) options.ledger.expect({ id: m.id, flow: 'mail', recipients: [m.to], acceptedAt: m.at });
  t.true(await eventually(() => options.ledger.outstanding() === 0, 10_000));
  t.like(options.ledger.reconcile({ final: true, now: Date.now() }), { expected: 2, delivered: 2, lost: 0 });
  const passwordSubmission = await loadScript(scriptSource({ ...plan, auth: 'password' }), { ...env, AUTH: '' });
  state.scenario = { name: 'mail', iterationInTest: 9 };
  await t.throwsAsync((passwordSubmission['mail'] as () => Promise<void>)(), { message: /^expected 235, got: 535/ });
});

test.serial('AUTH=oauth2 without a token per account takes OAUTH2_TOKEN, names it when missing, and refuses the ActiveSync stale-device flow by name', async (t) => {
  const logDir = await mkdtemp(path.join(tmpdir(), 'mailstorm-k6-oauth-logs-'));
  const options = { ...stackOptions({ population: { organisations: [{ name: 'T', users: 2 }] }, lockout: { policy: 'none' } }), logDir, config: { tls: 'implicit', auth: 'oauth2' } };
  await using stack = await embeddedProvider.start(options);
  tlsConfig.ca = stack.endpoints.tls!['imap']!.ca!;
  const env = await envFor(stack, false);
  const source = await exported('mass-lockout', ['users', 'devices'], 'oauth2');
  t.regex(source, /const AUTH = env\('AUTH', 'oauth2'\)/);
  const { AUTH: _auth, ...withoutAuth } = env;

  const shared = await loadScript(source, { ...withoutAuth, OAUTH2_TOKEN: stack.oauthTokens!.serviceToken() });
  recorded.length = 0;
  for (let i = 0; i < 2; i++) await (shared['users'] as () => Promise<void>)();
  t.deepEqual(imapLogins(), [1, 1], 'one token good for every mailbox');

  const none = await loadScript(source, withoutAuth);
  const error = await t.throwsAsync((none['users'] as () => Promise<void>)());
  t.regex(error!.message, /^AUTH=oauth2: \S+@\S+ has no token: set OAUTH2_TOKEN, or give an ACCOUNTS_FILE with a token per account/);
  const devices = await t.throwsAsync((shared['devices'] as () => Promise<void>)());
  t.regex(devices!.message, /^AUTH=oauth2: the ActiveSync flow replays a stale device's old password/);

  await t.throwsAsync(exported('mass-lockout', ['users'], 'kerberos'), { message: '--auth must be password or oauth2, got "kerberos"' });
});
