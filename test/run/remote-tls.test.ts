// A remote platform over TLS: the embedded stack with `tls: starttls`, described to mailstorm
// only by a config file naming its CA file. With that CA smoke passes; with another CA every
// send is refused with a message saying the certificate was not trusted; with that wrong CA
// and `insecure: true` it passes again and every report says verification was off.
import test from 'ava';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { InputError } from '../../engine/errors.ts';
import { systemClock } from '../../engine/clock.ts';
import { seededRandom } from '../../engine/random.ts';
import { MemoryEventLog } from '../../engine/events.ts';
import type { Ledger } from '../../engine/ledger/types.ts';
import { generateTlsCertificate } from '../../fakes/tls/certificate.ts';
import type { RunResult } from '../../harness/result-schema.ts';
import { embeddedProvider } from '../../stack/embedded/index.ts';
import { createRemoteProvider } from '../../stack/remote/index.ts';
import { parseRemoteConfig } from '../../stack/remote/config.ts';
import type { StackOptions } from '../../stack/types.ts';
import { startCli } from '../cli/helpers.ts';
import { stackOptions } from '../stack-embedded/helpers.ts';

async function tempDir(t: { teardown(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mailstorm-remote-tls-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

// Correctness, not speed: the machine is shared, so the rig's overload limits are lifted.
const NO_RIG_LIMITS = ['eventLoopDelayP99Ms', 'harnessCpuShare', 'cpuWaitShare', 'gcShare', 'scheduleLagP95Ms', 'replayLagP95Ms'].flatMap((f) => ['--rig-limit', `${f}=none`]);
const UNTRUSTED = /the TLS certificate of smtp \(127\.0\.0\.1:\d+\) was not trusted: unable to verify the first certificate \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\); give the CA that signed it as the endpoint's `ca`, or set `insecure: true` to skip verification/;
const INSECURE_NOTE = 'insecure: true on smtp: TLS certificates are not verified there, so the run could not tell the platform from an impostor';

/** An embedded stack with `tls` started here, its accounts in a population file, and a smoke run against it as a remote. */
async function remotePlatform(t: { teardown(fn: () => Promise<void>): void }, tls: 'starttls' | 'implicit') {
  const dir = await tempDir(t);
  const options = { ...stackOptions({ population: { organisations: [{ name: 'Remote Trust', users: 4 }] } }), logDir: path.join(dir, 'platform-logs'), config: { tls } };
  const platform = await embeddedProvider.start(options);
  t.teardown(() => platform.stop());
  const directory = platform.directory!;
  const env: Record<string, string> = {};
  const rows = Array.from({ length: directory.userCount }, (_, i) => {
    const user = directory.user(directory.addressAt(i))!;
    env[`TLS_PW_${i}`] = user.password;
    return `${user.address},remote-trust,env:TLS_PW_${i}`;
  });
  await writeFile(path.join(dir, 'accounts.csv'), `address,organisation,password\n${rows.join('\n')}\n`);
  const smoke = async (name: string, smtp: string) => {
    await writeFile(path.join(dir, `${name}.yaml`), `allow: [127.0.0.1]\npopulation: accounts.csv\nsmtp: ${smtp}\n`);
    const out = path.join(dir, `out-${name}`);
    // the child gets the passwords through its environment, set only while it is spawned
    Object.assign(process.env, env);
    const running = startCli(['run', 'smoke', '--stack', 'remote', '--config', `${name}.yaml`, '--out', out, '--set', 'rate=10', '--set', 'duration=2s', '--quiet', ...NO_RIG_LIMITS], dir);
    for (const key of Object.keys(env)) delete process.env[key];
    const r = await running.done;
    const result = JSON.parse(await readFile(path.join(out, 'result.json'), 'utf8')) as RunResult;
    const sent = result.metrics.find((m) => m.name === 'smtp.success')?.values ?? {};
    return { code: r.code, output: r.stdout + r.stderr, result, sent, markdown: await readFile(path.join(out, 'report.md'), 'utf8'), html: await readFile(path.join(out, 'report.html'), 'utf8') };
  };
  return { dir, options, platform, smoke, platformCa: path.join(options.logDir, 'embedded-ca.pem'), port: platform.endpoints.smtp.port };
}

test('smoke over STARTTLS against a remote platform: passes with its CA, refused with another CA, passes and says so with insecure: true', async (t) => {
  t.timeout(170_000);
  const { dir, options, smoke, platformCa, port } = await remotePlatform(t, 'starttls');
  await writeFile(path.join(dir, 'other-ca.pem'), (await generateTlsCertificate('another platform')).ca);

  const trusted = await smoke('trusted', `{ host: 127.0.0.1, port: ${port}, tls: starttls, ca: ${platformCa} }`);
  t.is(trusted.code, 0, trusted.output);
  t.is(trusted.result.verdict, 'pass');
  t.is(trusted.sent['fails'], 0);
  t.true((trusted.sent['passes'] ?? 0) >= 10, `${trusted.sent['passes']} sends`);
  t.is(options.metrics.total('mta.accepted'), trusted.sent['passes'] ?? -1, 'the platform accepted every message, over TLS (it refuses cleartext mail)');
  t.true(trusted.result.stack.notes.includes(`TLS: smtp starttls (verified against ${platformCa})`), trusted.result.stack.notes.join('\n'));
  t.false(trusted.result.stack.notes.some((n) => n.startsWith('insecure')));

  const before = options.metrics.total('mta.accepted');
  const wrong = await smoke('wrong', `{ host: 127.0.0.1, port: ${port}, tls: starttls, ca: other-ca.pem }`);
  t.is(wrong.code, 1, wrong.output);
  t.is(wrong.result.verdict, 'fail');
  t.is(wrong.sent['passes'] ?? 0, 0);
  t.true((wrong.sent['fails'] ?? 0) >= 10, `${wrong.sent['fails']} refused sends`);
  t.is(options.metrics.total('mta.accepted'), before, 'nothing reached the platform');
  t.true(wrong.result.errors.length > 0);
  for (const e of wrong.result.errors) t.regex(e.sample, UNTRUSTED);

  const insecure = await smoke('insecure', `{ host: 127.0.0.1, port: ${port}, tls: starttls, ca: other-ca.pem, insecure: true }`);
  t.is(insecure.code, 0, insecure.output);
  t.is(insecure.result.verdict, 'pass');
  t.is(insecure.sent['fails'], 0);
  t.is(options.metrics.total('mta.accepted') - before, insecure.sent['passes'] ?? -1);
  t.true(insecure.result.stack.notes.includes('TLS: smtp starttls (certificate NOT verified)'));
  t.true(insecure.result.stack.notes.includes(INSECURE_NOTE));
  t.true(insecure.markdown.includes(INSECURE_NOTE), 'report.md states it');
  t.true(insecure.html.includes(INSECURE_NOTE), 'report.html states it');
});

test('smoke over implicit TLS against a remote platform, verified against its CA file', async (t) => {
  t.timeout(120_000);
  const { options, smoke, platformCa, port } = await remotePlatform(t, 'implicit');
  const run = await smoke('implicit', `{ host: 127.0.0.1, port: ${port}, tls: implicit, ca: ${platformCa} }`);
  t.is(run.code, 0, run.output);
  t.is(run.result.verdict, 'pass');
  t.is(run.sent['fails'], 0);
  t.true((run.sent['passes'] ?? 0) >= 10, `${run.sent['passes']} sends`);
  t.is(options.metrics.total('mta.accepted'), run.sent['passes'] ?? -1);
  t.true(run.result.stack.notes.includes(`TLS: smtp implicit (verified against ${platformCa})`), run.result.stack.notes.join('\n'));
});

function remoteOptions(config: Record<string, unknown>): StackOptions {
  return {
    spec: {}, clock: systemClock, random: seededRandom(1),
    metrics: { declare() {}, count() {}, rate() {}, gauge() {}, trend() {} }, ledger: {} as Ledger,
    events: new MemoryEventLog(0), logDir: '/tmp', config,
  };
}

test('TLS config: a CA file that cannot be read or holds no certificate is named; verification keys on a cleartext endpoint and insecure: false are refused', async (t) => {
  const dir = await tempDir(t);
  const provider = createRemoteProvider(async (host) => (host === 'mx.platform.test' ? [{ address: '127.0.0.1', family: 4 }] : []));
  const missing = path.join(dir, 'missing.pem');
  await t.throwsAsync(provider.start(remoteOptions({ allow: ['127.0.0.1'], submission: { host: '127.0.0.1', port: 465, tls: 'implicit', ca: missing } })), { instanceOf: InputError, message: `--config: submission.ca: cannot read the CA file ${missing} (ENOENT)` });
  await writeFile(path.join(dir, 'key.pem'), '-----BEGIN PRIVATE KEY-----\nabc\n');
  await t.throwsAsync(provider.start(remoteOptions({ allow: ['127.0.0.1'], extra: { 'imap-target': { host: '127.0.0.1', port: 993, tls: 'implicit', ca: path.join(dir, 'key.pem') } } })), { instanceOf: InputError, message: `--config: extra.imap-target.ca: ${path.join(dir, 'key.pem')} holds no PEM certificate (-----BEGIN CERTIFICATE-----)` });
  await t.throwsAsync(provider.start(remoteOptions({ allow: ['127.0.0.1'], activesync: { url: 'https://127.0.0.1:8443', ca: missing } })), { instanceOf: InputError, message: /activesync\.ca: cannot read the CA file/ });

  const allow = ['127.0.0.1'];
  t.throws(() => parseRemoteConfig({ allow, imap: { host: '127.0.0.1', port: 143, ca: 'ca.pem' } }), { instanceOf: InputError, message: '--config: imap.ca: given, but imap is cleartext; set imap.tls to starttls or implicit' });
  t.throws(() => parseRemoteConfig({ allow, smtp: { host: '127.0.0.1', port: 465, tls: 'implicit', insecure: false } }), { instanceOf: InputError, message: /smtp\.insecure: takes only true \(leave it out to verify certificates\)/ });
  t.throws(() => parseRemoteConfig({ allow, smtp: { host: '127.0.0.1', port: 25, tls: 'ssl' } }), { instanceOf: InputError, message: /smtp\.tls/ });
  t.throws(() => parseRemoteConfig({ allow, activesync: { url: 'http://127.0.0.1:8080', insecure: true } }), { instanceOf: InputError, message: '--config: activesync.insecure: given, but http://127.0.0.1:8080 is not an https:// URL' });

  // A hostname pinned to its address: the certificate is still checked against the name.
  const stack = await provider.start(remoteOptions({ allow: ['mx.platform.test'], smtp: { host: 'mx.platform.test', port: 25, tls: 'starttls' }, activesync: 'https://mx.platform.test/' }));
  t.deepEqual(stack.endpoints.smtp, { host: '127.0.0.1', port: 25 });
  t.deepEqual(stack.endpoints.tls, { smtp: { mode: 'starttls', servername: 'mx.platform.test' }, activesync: { mode: 'implicit' } });
  t.true(stack.description.notes.includes('TLS: smtp starttls (verified against the system CAs); activesync https (verified against the system CAs)'), stack.description.notes.join('\n'));
});
