// The exported SMTP/IMAP dialogues under the xk6-tcp shim: implicit TLS at connect against the
// embedded stack serving TLS (its certificate checked as k6 checks it, against the stack's CA),
// STARTTLS refused by name, and a peer that closes or falls silent ends the iteration with why
// instead of hanging it.
import test from 'ava';
import { mkdtemp, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { accountRows, accountsText, k6EnvLine } from '../../cli/fakes-k6.ts';
import type { DirectoryService } from '../../directory/types.ts';
import type { Endpoints } from '../../engine/endpoints.ts';
import { resolveParams } from '../../harness/scenario/params.ts';
import { exportK6 } from '../../k6/export.ts';
import { builtIns } from '../../scenarios/index.ts';
import { embeddedProvider } from '../../stack/embedded/index.ts';
import { eventually } from '../fakes-smtp/helpers.ts';
import { stackOptions } from '../stack-embedded/helpers.ts';
import { state } from './shim/execution.ts';
import { loadScript } from './shim/load-script.ts';
import { recorded } from './shim/metrics.ts';
import { sentIds, tlsConfig, tlsConnects } from './shim/tcp.ts';

async function script(name: string, flows: string[], tlsMode?: string): Promise<string> {
  const definition = await builtIns.load(name);
  const { params } = resolveParams(definition, {});
  return (await exportK6({ definition, params: params as Record<string, unknown>, flows, ...(tlsMode !== undefined ? { tls: tlsMode } : {}) })).files['script.ts']!;
}

async function envFor(endpoints: Endpoints, directory: DirectoryService): Promise<Record<string, string>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mailstorm-k6-tls-'));
  const file = path.join(dir, 'accounts.json');
  await writeFile(file, accountsText(accountRows(directory), file));
  return Object.fromEntries(k6EnvLine(endpoints, file, 'tls1').split(' ').map((kv) => kv.split('=') as [string, string]));
}

/** A plain TCP peer that greets, then does what `after` says on the first line it reads. */
async function peer(after: 'close' | 'silent'): Promise<{ port: number; close(): Promise<void> }> {
  const sockets: net.Socket[] = [];
  const server = net.createServer((s) => {
    sockets.push(s);
    s.write('220 peer.test ESMTP\r\n');
    s.once('data', () => { if (after === 'close') s.end(); });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as net.AddressInfo).port, close: () => { for (const s of sockets) s.destroy(); return new Promise((resolve) => server.close(() => resolve())); } };
}

/** The embedded stack serving TLS (implicit or STARTTLS) with the CA it made at start. */
async function tlsStack(mode: 'implicit' | 'starttls', users: number) {
  const logDir = await mkdtemp(path.join(tmpdir(), 'mailstorm-k6-tls-logs-'));
  const options = { ...stackOptions({ population: { organisations: [{ name: 'T', users }] } }), logDir, config: { tls: mode } };
  return { options, stack: await embeddedProvider.start(options) };
}

test.serial('against the embedded stack over implicit TLS: the env line says SMTP_TLS/IMAP_TLS=implicit, mail is delivered and logins succeed, verified against its CA', async (t) => {
  const { options, stack: s } = await tlsStack('implicit', 4);
  await using stack = s;
  const env = await envFor(stack.endpoints, stack.directory!);
  t.like(env, { SMTP_TLS: 'implicit', SUBMISSION_TLS: 'implicit', IMAP_TLS: 'implicit' });
  tlsConfig.ca = stack.endpoints.tls!['smtp']!.ca!;
  tlsConfig.rejectUnauthorized = true;
  const smoke = await loadScript(await script('smoke', ['mail']), env);
  sentIds.length = 0;
  tlsConnects.length = 0;
  for (let i = 0; i < 5; i++) {
    state.scenario = { name: 'mail', iterationInTest: i };
    await (smoke['mail'] as () => Promise<void>)();
  }
  t.deepEqual(tlsConnects, Array.from({ length: 5 }, () => ({ host: stack.endpoints.smtp.host, port: stack.endpoints.smtp.port })));
  t.is(sentIds.length, 5);
  for (const m of sentIds) options.ledger.expect({ id: m.id, flow: 'mail', recipients: [m.to], acceptedAt: m.at });
  t.true(await eventually(() => options.ledger.outstanding() === 0, 10_000));
  t.like(options.ledger.reconcile({ final: true, now: Date.now() }), { expected: 5, delivered: 5, lost: 0, duplicated: 0 });

  const lockout = await loadScript(await script('mass-lockout', ['users']), env);
  recorded.length = 0;
  for (let i = 0; i < 2; i++) await (lockout['users'] as () => Promise<void>)();
  t.deepEqual(recorded.filter((r) => r.name === 'k6_imap_login_ok').map((r) => r.value), [1, 1]);
  t.is(tlsConnects.filter((c) => c.port === stack.endpoints.imap.port).length, 2);

  // without the stack's CA (k6 without it or insecureSkipTLSVerify) the certificate is refused
  delete tlsConfig.ca;
  recorded.length = 0;
  const error = await t.throwsAsync((smoke['mail'] as () => Promise<void>)());
  t.regex(error!.message, /^TCP error during connect: .*certificate/i);
  t.is(recorded.filter((r) => r.name === 'k6_smtp_failed').length, 1);
});

test.serial('export --tls implicit makes TLS the default; STARTTLS is refused at export, and a STARTTLS stack\'s env line stops the script before it connects', async (t) => {
  const { stack: s } = await tlsStack('implicit', 2);
  await using stack = s;
  tlsConfig.ca = stack.endpoints.tls!['smtp']!.ca!;
  const env: Record<string, string> = await envFor(stack.endpoints, stack.directory!);
  delete env['SMTP_TLS']; // without the env line's word the script's default applies
  const implicit = await script('smoke', ['mail'], 'implicit');
  t.regex(implicit, /const DEFAULT_TLS = 'implicit';/);
  tlsConnects.length = 0;
  state.scenario = { name: 'mail', iterationInTest: 100 };
  await ((await loadScript(implicit, env))['mail'] as () => Promise<void>)();
  t.is(tlsConnects.length, 1);
  // the plain default against a TLS port: both sides wait for the other, so the dialogue times out with why
  const plainDefault = await loadScript(await script('smoke', ['mail']), { ...env, TCP_TIMEOUT_MS: '500' });
  await t.throwsAsync((plainDefault['mail'] as () => Promise<void>)(), { message: `no reply from 127.0.0.1:${stack.endpoints.smtp.port} in 500 ms` });

  const refused = await t.throwsAsync(script('smoke', ['mail'], 'starttls'));
  t.regex(refused!.message, /^--tls starttls: k6\/x\/tcp \(xk6-tcp\) starts TLS only at connect and cannot upgrade a socket/);
  const bad = await t.throwsAsync(script('smoke', ['mail'], 'yes'));
  t.is(bad!.message, '--tls must be none or implicit, got "yes"');

  const { stack: s2 } = await tlsStack('starttls', 2);
  await using starttls = s2;
  const starttlsEnv = await envFor(starttls.endpoints, starttls.directory!);
  t.like(starttlsEnv, { SMTP_TLS: 'starttls', IMAP_TLS: 'starttls' });
  tlsConnects.length = 0;
  sentIds.length = 0;
  const plain = await loadScript(await script('smoke', ['mail']), starttlsEnv);
  const error = await t.throwsAsync((plain['mail'] as () => Promise<void>)());
  t.regex(error!.message, /^SMTP_TLS=starttls: k6\/x\/tcp starts TLS only at connect and cannot upgrade a socket \(no STARTTLS\); use the implicit-TLS port/);
  t.is(tlsConnects.length, 0);
  t.is(sentIds.length, 0);
});

test.serial('a peer that closes mid-dialogue or stops answering fails the iteration with why, never hangs it', async (t) => {
  const closing = await peer('close');
  const silent = await peer('silent');
  t.teardown(async () => { await closing.close(); await silent.close(); });
  const options = stackOptions({ population: { organisations: [{ name: 'T', users: 2 }] } });
  await using stack = await embeddedProvider.start(options);
  const env = await envFor(stack.endpoints, stack.directory!);
  const source = await script('smoke', ['mail']);
  recorded.length = 0;
  const a = await loadScript(source, { ...env, SMTP_PORT: String(closing.port), TCP_TIMEOUT_MS: '60000' });
  const closed = await t.throwsAsync((a['mail'] as () => Promise<void>)());
  t.is(closed!.message, `connection to 127.0.0.1:${closing.port} closed`);
  const b = await loadScript(source, { ...env, SMTP_PORT: String(silent.port), TCP_TIMEOUT_MS: '300' });
  const started = Date.now();
  const quiet = await t.throwsAsync((b['mail'] as () => Promise<void>)());
  t.is(quiet!.message, `no reply from 127.0.0.1:${silent.port} in 300 ms`);
  t.true(Date.now() - started >= 250);
  t.is(recorded.filter((r) => r.name === 'k6_smtp_failed').length, 2);
  t.is(recorded.filter((r) => r.name === 'k6_smtp_sent').length, 0);
  // an IMAP login that never gets its answer counts as a failed login
  const c = await loadScript(await script('mass-lockout', ['users']), { ...env, IMAP_PORT: String(closing.port) });
  const wrong = await t.throwsAsync((c['users'] as () => Promise<void>)());
  t.is(wrong!.message, 'expected * OK, got: 220 peer.test ESMTP');
  t.deepEqual(recorded.filter((r) => r.name === 'k6_imap_login_ok').map((r) => r.value), [0]);
});
