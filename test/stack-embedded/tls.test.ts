// The embedded stack with `tls: starttls|implicit`: its fakes speak TLS with a certificate made
// at start, the CA is written to the log folder, and the run's clients verify it. A client
// that stays in cleartext is refused (a TLS-only platform), and one given another CA is
// refused with a message saying the certificate was not trusted.
import test from 'ava';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { systemClock } from '../../engine/clock.ts';
import type { Endpoints, TlsSettings } from '../../engine/endpoints.ts';
import { createSmtpClient } from '../../engine/clients/smtp-client.ts';
import { createImapConnector } from '../../engine/clients/imap-client.ts';
import { createHttpClient } from '../../engine/clients/http-client.ts';
import { httpsTargets } from '../../engine/clients/tls.ts';
import { pipelineClientFor } from '../../engine/clients/smtp-pipeline-client.ts';
import { InputError } from '../../engine/errors.ts';
import { generateTlsCertificate } from '../../fakes/tls/certificate.ts';
import { embeddedProvider } from '../../stack/embedded/index.ts';
import { eventually } from '../fakes-smtp/helpers.ts';
import { stackOptions } from './helpers.ts';

async function logDir(t: { teardown(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mailstorm-tls-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return path.join(dir, 'logs');
}

/** The same endpoints with every TLS setting changed by `change`. */
function withTls(endpoints: Endpoints, change: (s: TlsSettings) => TlsSettings): Endpoints {
  return { ...endpoints, tls: Object.fromEntries(Object.entries(endpoints.tls ?? {}).map(([name, s]) => [name, change(s)])) };
}

for (const mode of ['starttls', 'implicit'] as const) {
  test(`tls: ${mode}: submission, relay, IMAP and ActiveSync work verified against the CA in logs/embedded-ca.pem`, async (t) => {
    const options = { ...stackOptions({ population: { organisations: [{ name: 'Trust', users: 4 }] } }), logDir: await logDir(t), config: { tls: mode } };
    await using stack = await embeddedProvider.start(options);
    const { endpoints } = stack;
    const ca = await readFile(path.join(options.logDir, 'embedded-ca.pem'), 'utf8');
    t.regex(ca, /^-----BEGIN CERTIFICATE-----/);
    t.deepEqual(endpoints.tls?.['submission'], { mode, ca });
    t.like(endpoints.tls?.['activesync'], { mode: 'implicit', ca });
    t.is(endpoints.tls?.['sink'], undefined, 'the sink stays cleartext');
    t.true(endpoints.activesync.startsWith('https://127.0.0.1:'));
    t.true(stack.description.notes.some((n) => n.includes(`TLS: ${mode === 'starttls' ? 'STARTTLS required' : 'implicit TLS'} on smtp, submission and imap`) && n.includes(options.logDir)));

    const directory = stack.directory!;
    const alice = directory.user(directory.addressAt(0))!;
    const smtp = createSmtpClient({ endpoints, ledger: options.ledger, metrics: options.metrics, clock: systemClock });
    t.teardown(() => smtp.close());
    t.like(await smtp.send({ from: alice.address, to: [directory.addressAt(1)], auth: { user: alice.address, pass: alice.password } }), { ok: true, code: 250 });
    t.like(await smtp.send({ from: 'x@elsewhere.test', to: [directory.addressAt(2)] }), { ok: true, code: 250 });
    t.true(await eventually(() => options.ledger.outstanding() === 0, 10_000));
    t.like(options.ledger.reconcile({ final: true, now: Date.now() }), { expected: 2, delivered: 2, lost: 0 });

    const bob = directory.user(directory.addressAt(1))!;
    const imap = await createImapConnector({ endpoints, metrics: options.metrics }).connect({ user: bob.address, pass: bob.password });
    t.like(await imap.status('INBOX', { messages: true }), { messages: 1 }, 'alice\'s message, read over IMAP with TLS');
    await imap.logout();

    const http = createHttpClient({ metrics: options.metrics, tls: httpsTargets(endpoints) });
    t.teardown(() => http.close());
    const auth = `Basic ${Buffer.from(`${alice.address}:${alice.password}`).toString('base64')}`;
    const res = await http.request('POST', `${endpoints.activesync}/Microsoft-Server-ActiveSync?Cmd=Ping&User=${encodeURIComponent(alice.address)}&DeviceId=dev1&DeviceType=phone`, { headers: { authorization: auth } });
    t.is(res.status, 200, res.body);

    // a client that does not speak TLS is refused, never served in cleartext
    // (implicit: a cleartext SMTP client would wait out nodemailer's 30 s greeting timeout)
    const cleartext = withTls(endpoints, () => ({ mode: 'none' }));
    if (mode === 'starttls') {
      const plain = createSmtpClient({ endpoints: cleartext, ledger: options.ledger, metrics: options.metrics, clock: systemClock });
      t.teardown(() => plain.close());
      t.like(await plain.send({ from: 'x@elsewhere.test', to: [directory.addressAt(2)] }), { ok: false, code: 530, response: '530 5.7.0 Must issue a STARTTLS command first' });
    }
    const plainImap = createImapConnector({ endpoints: cleartext, metrics: options.metrics, timeoutMs: 2000 });
    const imapError = await t.throwsAsync(plainImap.connect({ user: alice.address, pass: alice.password }));
    // imapflow reads LOGINDISABLED and does not even try; the server would say PRIVACYREQUIRED
    if (mode === 'starttls') t.is(imapError?.message, 'Login is disabled');
    // the pipelining client cannot speak TLS, so it refuses the endpoint instead of sending in clear
    t.throws(() => pipelineClientFor(endpoints, 'smtp'), { instanceOf: InputError, message: `endpoint smtp asks for TLS (${mode}), and the pipelining SMTP client speaks cleartext only; send through the nodemailer client (ctx.smtp) instead` });
  });
}

test('a certificate signed by another CA is refused by every client with a message naming ca and insecure; insecure: true connects', async (t) => {
  const options = { ...stackOptions({ population: { organisations: [{ name: 'Trust', users: 2 }] } }), logDir: await logDir(t), config: { tls: 'implicit' } };
  await using stack = await embeddedProvider.start(options);
  const other = await generateTlsCertificate('another platform');
  const wrong = withTls(stack.endpoints, (s) => ({ ...s, ca: other.ca }));
  const directory = stack.directory!;
  const alice = directory.user(directory.addressAt(0))!;
  const untrusted = /^the TLS certificate of (\S+) \(127\.0\.0\.1:\d+\) was not trusted: .+ \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\); give the CA that signed it as the endpoint's `ca`, or set `insecure: true` to skip verification$/;

  const smtp = createSmtpClient({ endpoints: wrong, ledger: options.ledger, metrics: options.metrics, clock: systemClock });
  t.teardown(() => smtp.close());
  const sent = await smtp.send({ from: 'x@elsewhere.test', to: [directory.addressAt(1)] });
  t.like(sent, { ok: false, code: 0 });
  t.is(untrusted.exec(sent.response)?.[1], 'smtp', sent.response);
  t.is(options.metrics.total('smtp.rejected'), 1, 'a counted failure');

  const imapError = await t.throwsAsync(createImapConnector({ endpoints: wrong, metrics: options.metrics }).connect({ user: alice.address, pass: alice.password }));
  t.is(untrusted.exec(imapError?.message ?? '')?.[1], 'imap', imapError?.message);
  t.is(options.metrics.total('imap.login_failures'), 1);

  const http = createHttpClient({ metrics: options.metrics, tls: httpsTargets(wrong) });
  t.teardown(() => http.close());
  const res = await http.request('POST', `${wrong.activesync}/Microsoft-Server-ActiveSync?Cmd=Ping&User=a&DeviceId=d&DeviceType=phone`);
  t.is(res.status, 0);
  t.is(untrusted.exec(res.body)?.[1], 'activesync', res.body);

  const insecure = withTls(stack.endpoints, (s) => ({ ...s, ca: other.ca, insecure: true }));
  const lax = createSmtpClient({ endpoints: insecure, ledger: options.ledger, metrics: options.metrics, clock: systemClock });
  t.teardown(() => lax.close());
  t.like(await lax.send({ from: 'x@elsewhere.test', to: [directory.addressAt(1)] }), { ok: true, code: 250 });
});
