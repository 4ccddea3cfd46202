// The docker stack with `tls: starttls|implicit`: real Postfix and Dovecot serve a certificate
// mailstorm made at start (CA in logs/docker-ca.pem), the endpoints carry it through the
// proxies, and the clients verify it. starttls on bookworm (Dovecot 2.3): submission, relay and
// IMAP over STARTTLS; the real servers refuse a cleartext client (530, PRIVACYREQUIRED); a client
// given another CA is refused naming `ca` and `insecure`. implicit on trixie (Dovecot 2.4):
// smoke through the CLI over submission on 465 with auth: oauth2 (XOAUTH2 through Postfix's
// Dovecot SASL to Dovecot's oauth2 passdb), and result.json states the TLS. auth: oauth2 on
// bookworm: XOAUTH2 on IMAP and submission with the account's token, a password or a replaced
// token refused by the real servers.
import test from 'ava';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../../engine/clock.ts';
import type { Endpoints, HostPort, TlsSettings } from '../../engine/endpoints.ts';
import { createSmtpClient } from '../../engine/clients/smtp-client.ts';
import { createImapConnector } from '../../engine/clients/imap-client.ts';
import { createHttpClient } from '../../engine/clients/http-client.ts';
import { httpsTargets } from '../../engine/clients/tls.ts';
import { generateTlsCertificate } from '../../fakes/tls/certificate.ts';
import { dockerProvider } from '../../stack/docker/index.ts';
import { eventually, imagesReady, leftovers, SMALL_POPULATION, stackOptions } from './helpers.ts';

const CLI = fileURLToPath(new URL('../../bin/mailstorm.js', import.meta.url));
/** Seeded INBOXes: the seeder's own logins must go through STARTTLS (and XOAUTH2) too. */
const SEEDED = [{ name: 'main', seedMessages: { median: 3, sigma: 0.5, sizeMedianBytes: 1500 } }];
const inboxCount = (status: false | { messages?: number | undefined }) => (status ? status.messages ?? 0 : 0);
const seededMessages = (options: { events: { all(): readonly { type: string; messages?: unknown }[] } }) =>
  options.events.all().filter((e) => e.type === 'mailstore_seeded').reduce((sum, e) => sum + Number(e.messages), 0);

test.before(async () => {
  await imagesReady();
});

test.after.always('no container or network labelled mailstorm is left', async (t) => {
  t.deepEqual(await leftovers(), []);
});

/** The same endpoints with every TLS setting changed by `change`. */
function withTls(endpoints: Endpoints, change: (s: TlsSettings) => TlsSettings): Endpoints {
  return { ...endpoints, tls: Object.fromEntries(Object.entries(endpoints.tls ?? {}).map(([name, s]) => [name, change(s)])) };
}

/** A cleartext IMAP LOGIN sent by hand (imapflow would not send it after LOGINDISABLED): Dovecot's tagged answer. */
function cleartextImapLogin(at: HostPort, user: string, pass: string): Promise<{ capability: string; answer: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(at);
    let text = '';
    let sent = 0;
    socket.setEncoding('utf8');
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no IMAP answer; got ${JSON.stringify(text)}`)));
    socket.on('error', reject);
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (sent === 0 && text.includes('\r\n')) {
        sent = 1;
        socket.write(`a1 LOGIN "${user}" "${pass}"\r\n`);
      }
      const answer = /^a1 .*$/m.exec(text)?.[0];
      if (answer) {
        socket.end();
        resolve({ capability: text.split('\r\n')[0] ?? '', answer: answer.trim() });
      }
    });
  });
}

test('tls: starttls on bookworm: submission, relay and IMAP over STARTTLS verified against logs/docker-ca.pem; cleartext and a wrong CA are refused', async (t) => {
  const options = await stackOptions({ population: SMALL_POPULATION, deliverTo: 'main', mailstores: SEEDED }, { tls: 'starttls', release: 'bookworm' });
  await using stack = await dockerProvider.start(options);
  const { endpoints } = stack;
  const ca = await readFile(join(options.logDir, 'docker-ca.pem'), 'utf8');
  t.regex(ca, /^-----BEGIN CERTIFICATE-----/);
  for (const name of ['smtp', 'submission', 'imap']) t.deepEqual(endpoints.tls?.[name], { mode: 'starttls', ca }, name);
  t.like(endpoints.tls?.['activesync'], { mode: 'implicit', ca });
  t.true(endpoints.activesync.startsWith('https://127.0.0.1:'));
  t.true(stack.description.notes.some((n) => n.startsWith('TLS: Postfix requires STARTTLS on 25 and 587') && n.includes(options.logDir)));
  t.true(seededMessages(options) > 0, 'seeded over STARTTLS');

  const directory = stack.directory!;
  const alice = directory.user(directory.addressAt(0))!;
  const bob = directory.user(directory.addressAt(1))!;
  const connector = createImapConnector({ endpoints, metrics: options.metrics });
  const before = await connector.connect({ user: bob.address, pass: bob.password });
  const seeded = inboxCount(await before.status('INBOX', { messages: true }));
  await before.logout();
  const smtp = createSmtpClient({ endpoints, ledger: options.ledger, metrics: options.metrics, clock: systemClock });
  t.teardown(() => smtp.close());
  t.like(await smtp.send({ from: alice.address, to: [bob.address], auth: { user: alice.address, pass: alice.password }, endpoint: 'submission' }), { ok: true, code: 250 });
  t.like(await smtp.send({ from: 'x@elsewhere.test', to: [bob.address] }), { ok: true, code: 250 });
  t.true(await eventually(() => options.ledger.outstanding() === 0), 'both messages reached Dovecot');
  t.like(options.ledger.reconcile({ final: true, now: Date.now() }), { expected: 2, delivered: 2, lost: 0 });
  const imap = await connector.connect({ user: bob.address, pass: bob.password });
  t.like(await imap.status('INBOX', { messages: true }), { messages: seeded + 2 }, 'both messages, read over IMAP after STARTTLS');
  await imap.logout();
  const http = createHttpClient({ metrics: options.metrics, tls: httpsTargets(endpoints) });
  t.teardown(() => http.close());
  const basic = `Basic ${Buffer.from(`${alice.address}:${alice.password}`).toString('base64')}`;
  const ping = await http.request('POST', `${endpoints.activesync}/Microsoft-Server-ActiveSync?Cmd=Ping&User=${encodeURIComponent(alice.address)}&DeviceId=dev1&DeviceType=phone`, { headers: { authorization: basic } });
  t.is(ping.status, 200, ping.body);

  // The real servers refuse a client that stays in cleartext.
  const cleartext = withTls(endpoints, () => ({ mode: 'none' }));
  const plain = createSmtpClient({ endpoints: cleartext, ledger: options.ledger, metrics: options.metrics, clock: systemClock });
  t.teardown(() => plain.close());
  for (const endpoint of ['smtp', 'submission']) {
    t.like(await plain.send({ from: 'x@elsewhere.test', to: [bob.address], endpoint }), { ok: false, code: 530, response: '530 5.7.0 Must issue a STARTTLS command first' }, endpoint);
  }
  const login = await cleartextImapLogin(endpoints.imap, alice.address, alice.password);
  t.regex(login.capability, /LOGINDISABLED/);
  t.regex(login.answer, /^a1 NO \[PRIVACYREQUIRED\]/);

  // Another CA: every client says the certificate was not trusted and names the keys that fix it.
  const other = await generateTlsCertificate('another platform');
  const wrong = withTls(endpoints, (s) => ({ ...s, ca: other.ca }));
  const untrusted = /^the TLS certificate of (\S+) \(127\.0\.0\.1:\d+\) was not trusted: .+; give the CA that signed it as the endpoint's `ca`, or set `insecure: true` to skip verification$/;
  const distrustful = createSmtpClient({ endpoints: wrong, ledger: options.ledger, metrics: options.metrics, clock: systemClock });
  t.teardown(() => distrustful.close());
  const refused = await distrustful.send({ from: 'x@elsewhere.test', to: [bob.address] });
  t.like(refused, { ok: false, code: 0 });
  t.is(untrusted.exec(refused.response)?.[1], 'smtp', refused.response);
  const imapError = await t.throwsAsync(createImapConnector({ endpoints: wrong, metrics: options.metrics }).connect({ user: bob.address, pass: bob.password }));
  t.is(untrusted.exec(imapError?.message ?? '')?.[1], 'imap', imapError?.message);
});

test('tls: implicit, auth: oauth2 on trixie: smoke over submission on 465 with XOAUTH2 passes through the CLI; result.json states both', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'mailstorm-docker-tls-'));
  const config = join(dir, 'stack.yaml');
  await writeFile(config, 'release: trixie\ntls: implicit\nauth: oauth2\n');
  const out = join(dir, 'run');
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'run', 'smoke', '--stack', 'docker', '--config', config, '--set', 'via=submission', '-q', '--out', out,
      '--rig-limit', 'cpuWaitShare=none', '--rig-limit', 'replayLagP95Ms=none'], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('close', resolve);
  });
  const result = JSON.parse(await readFile(join(out, 'result.json'), 'utf8')) as { verdict: string; ledger: { delivered: number; lost: number }; stack: { notes: string[] } };
  t.is(code, 0);
  t.is(result.verdict, 'pass');
  t.true(result.ledger.delivered > 0);
  t.is(result.ledger.lost, 0);
  const note = result.stack.notes.find((n) => n.startsWith('TLS: '));
  t.regex(note ?? '', /^TLS: implicit TLS on submission \(Postfix 465, wrapper mode\) and imap \(Dovecot 993\); smtp stays on 25 with STARTTLS required/);
  t.true(result.stack.notes.some((n) => n.startsWith('auth: oauth2: real Dovecot oauth2 passdb')));
  t.regex(await readFile(join(out, 'logs', 'docker-ca.pem'), 'utf8'), /^-----BEGIN CERTIFICATE-----/);
  // Postfix's own log: the 465 service took the mail with TLS (smtpd_tls_loglevel=1)
  // Postfix's own log: the 465 service took the mail over TLS, authenticated with XOAUTH2
  const log = await readFile(join(out, 'logs', 'mta.log'), 'utf8');
  t.regex(log, /postfix\/submissions\/smtpd\[\d+\]: Anonymous TLS connection established from unknown\[[\d.]+\]: TLSv1\.[23]/);
  const xoauth2 = log.match(/postfix\/submissions\/smtpd\[\d+\]: \w+: client=\S+, sasl_method=XOAUTH2, sasl_username=/g) ?? [];
  t.is(xoauth2.length, result.ledger.delivered, 'every delivered message was submitted with XOAUTH2 on 465');
});

test('auth: oauth2 on bookworm: XOAUTH2 on IMAP and submission with the account\'s token; a password and a replaced token are refused', async (t) => {
  const options = await stackOptions({ population: SMALL_POPULATION, mailstores: SEEDED }, { auth: 'oauth2', release: 'bookworm' });
  await using stack = await dockerProvider.start(options);
  const { endpoints } = stack;
  const directory = stack.directory!;
  const tokens = stack.oauthTokens!;
  const alice = directory.user(directory.addressAt(0))!;
  const bob = directory.user(directory.addressAt(1))!;
  t.true(stack.description.notes.some((n) => n.startsWith('auth: oauth2: real Dovecot oauth2 passdb')));
  t.true(seededMessages(options) > 0, 'seeded with XOAUTH2 logins');
  const tokenImap = createImapConnector({ endpoints, metrics: options.metrics, auth: stack.auth! });
  const before = await tokenImap.connect({ user: bob.address, pass: '' });
  const seeded = inboxCount(await before.status('INBOX', { messages: true }));
  await before.logout();

  const smtp = createSmtpClient({ endpoints, ledger: options.ledger, metrics: options.metrics, clock: systemClock, auth: stack.auth! });
  t.teardown(() => smtp.close());
  t.like(await smtp.send({ from: alice.address, to: [bob.address], auth: { user: alice.address, pass: alice.password }, endpoint: 'submission' }), { ok: true, code: 250 });
  t.true(await eventually(() => options.ledger.outstanding() === 0), 'delivered to Dovecot');
  const imap = await tokenImap.connect({ user: bob.address, pass: bob.password });
  t.like(await imap.status('INBOX', { messages: true }), { messages: seeded + 1 }, 'alice\'s message, read after an XOAUTH2 login');
  await imap.logout();

  // passwords: no passdb takes PLAIN or LOGIN any more
  const passwords = createSmtpClient({ endpoints, ledger: options.ledger, metrics: options.metrics, clock: systemClock });
  t.teardown(() => passwords.close());
  const refused = await passwords.send({ from: alice.address, to: [bob.address], auth: { user: alice.address, pass: alice.password }, endpoint: 'submission' });
  t.like(refused, { ok: false, code: 535 });
  const imapError = await t.throwsAsync(createImapConnector({ endpoints, metrics: options.metrics }).connect({ user: bob.address, pass: bob.password })) as Error & { serverResponseCode?: string };
  t.is(imapError?.serverResponseCode, 'AUTHENTICATIONFAILED');

  // a token replaced at the identity provider is inactive at introspection
  const stale = tokens.tokenFor(bob.address);
  tokens.rotate(bob.address);
  const staleAuth = { summary: 'stale', credential: async (user: string) => ({ type: 'oauth2' as const, user, accessToken: stale }), renew: async () => undefined, secrets: () => [stale] };
  const staleError = await t.throwsAsync(createImapConnector({ endpoints, metrics: options.metrics, auth: staleAuth }).connect({ user: bob.address, pass: '' })) as Error & { serverResponseCode?: string };
  t.is(staleError?.serverResponseCode, 'AUTHENTICATIONFAILED');
  const fresh = await createImapConnector({ endpoints, metrics: options.metrics, auth: stack.auth! }).connect({ user: bob.address, pass: '' });
  t.like(await fresh.status('INBOX', { messages: true }), { messages: seeded + 1 }, 'the new token logs in');
  await fresh.logout();
});
