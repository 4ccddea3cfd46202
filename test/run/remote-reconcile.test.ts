// Accounting without owning the MX: a remote platform's deliveries are counted by reading the
// recipients' mailboxes over IMAP (reconcile.imap), or by mailstorm's sink the platform routes
// a test domain to (reconcile.sink); either way the ledger's gates are judged. The "remote"
// platform is an embedded stack (or a bare fake MTA) this test starts, described to mailstorm
// only by a config file and a population file.
import test from 'ava';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { embeddedProvider } from '../../stack/embedded/index.ts';
import { createRemoteProvider } from '../../stack/remote/index.ts';
import { parseRemoteConfig } from '../../stack/remote/config.ts';
import { createSmtpClient } from '../../engine/clients/smtp-client.ts';
import { InputError } from '../../engine/errors.ts';
import { systemClock } from '../../engine/clock.ts';
import { FakeMta } from '../../fakes/smtp/fake-mta.ts';
import { relayTarget } from '../../fakes/smtp/relay-target.ts';
import { AccountsDirectory } from '../../directory/accounts-directory.ts';
import { readPopulationFile } from '../../directory/population-file.ts';
import type { Stack } from '../../stack/types.ts';
import type { RunResult } from '../../harness/result-schema.ts';
import { startCli } from '../cli/helpers.ts';
import { stackOptions } from '../stack-embedded/helpers.ts';

// These tests count mail, not speed: a busy shared machine must not turn them inconclusive.
const RIG_UNJUDGED = ['--rig-limit', 'cpuWaitShare=none', '--rig-limit', 'eventLoopDelayP99Ms=none', '--rig-limit', 'harnessCpuShare=none', '--rig-limit', 'scheduleLagP95Ms=none'];

async function tempDir(t: { teardown(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mailstorm-reconcile-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** An embedded platform with `users` accounts and a population file naming them (passwords via env:). */
async function platformWithPopulation(dir: string, users: number, env: Record<string, string>, wrongPassword?: number, tls?: 'implicit' | 'starttls') {
  const options = { ...stackOptions({ population: { organisations: [{ name: 'Remote Trust', users }] } }), ...(tls && { logDir: path.join(dir, 'platform-logs'), config: { tls } }) };
  const platform = await embeddedProvider.start(options);
  const directory = platform.directory!;
  const addresses: string[] = [];
  const rows = Array.from({ length: directory.userCount }, (_, i) => {
    const user = directory.user(directory.addressAt(i))!;
    addresses.push(user.address.toLowerCase());
    env[`RC_PW_${i}`] = i === wrongPassword ? `${user.password}-wrong` : user.password;
    return `${user.address},remote-trust,env:RC_PW_${i}`;
  });
  const population = path.join(dir, 'accounts.csv');
  await writeFile(population, `address,organisation,password\n${rows.join('\n')}\n`);
  return { platform, options, addresses, population };
}

/** Test mail left in a mailbox of the platform (its ledger header searched as the reconcile does). */
async function testMessagesIn(platform: Stack, address: string): Promise<number> {
  const user = platform.directory!.user(address)!;
  const client = new ImapFlow({ host: '127.0.0.1', port: platform.endpoints.imap.port, secure: false, doSTARTTLS: false, auth: { user: user.address, pass: user.password }, logger: false });
  await client.connect();
  await client.mailboxOpen('INBOX', { readOnly: true });
  const uids = await client.search({ header: { 'X-Mailstorm-Id': '' } }, { uid: true });
  await client.logout();
  return (uids || []).length;
}

test('reconcile config errors name the key', (t) => {
  const base = { allow: ['127.0.0.1'], smtp: { host: '127.0.0.1', port: 25 } };
  t.throws(() => parseRemoteConfig({ ...base, reconcile: {} }), { instanceOf: InputError, message: /reconcile: give exactly one of imap .* or sink/ });
  t.throws(() => parseRemoteConfig({ ...base, reconcile: { imap: {} } }), { instanceOf: InputError, message: /reconcile\.imap: needs the imap endpoint/ });
  t.throws(() => parseRemoteConfig({ ...base, imap: { host: '127.0.0.1', port: 143 }, reconcile: { imap: {} } }), { instanceOf: InputError, message: /reconcile\.imap: needs a population file/ });
  const withPopulation = { ...base, imap: { host: '127.0.0.1', port: 143 }, population: 'a.csv' };
  t.throws(() => parseRemoteConfig({ ...withPopulation, reconcile: { imap: { timeout: 'soon' } } }), { instanceOf: InputError, message: /reconcile\.imap\.timeout: "soon" is not a duration/ });
  t.throws(() => parseRemoteConfig({ ...withPopulation, reconcile: { imap: { interval: '10ms' } } }), { instanceOf: InputError, message: /reconcile\.imap\.interval: at least 100ms/ });
  t.throws(() => parseRemoteConfig({ ...withPopulation, reconcile: { imap: { every: '1s' } } }), { instanceOf: InputError, message: /reconcile\.imap: Unrecognized key: "every"/ });
  t.throws(() => parseRemoteConfig({ ...base, reconcile: { sink: { listen: { host: '127.0.0.1' } } } }), { instanceOf: InputError, message: /reconcile\.sink\.listen\.port/ });
  t.notThrows(() => parseRemoteConfig({ ...withPopulation, reconcile: { imap: { timeout: '2m', interval: '1s', delete: true } } }));
});

test('smoke against a remote platform, counted by reading its mailboxes: every accepted message is found once and the ledger gates are judged', async (t) => {
  t.timeout(120_000);
  const dir = await tempDir(t);
  const env: Record<string, string> = {};
  const { platform, options, population } = await platformWithPopulation(dir, 6, env);
  await using _ = platform;
  const e = platform.endpoints;
  const config = path.join(dir, 'platform.yaml');
  await writeFile(config, [
    'description: an embedded stack, described as a remote one',
    'allow: [127.0.0.1]',
    `smtp: { host: 127.0.0.1, port: ${e.smtp.port} }`,
    `imap: { host: 127.0.0.1, port: ${e.imap.port} }`,
    `population: ${population}`,
    'reconcile:',
    '  imap: { interval: 200ms, timeout: 20s }',
    '',
  ].join('\n'));
  const out = path.join(dir, 'out');
  Object.assign(process.env, env);
  const cli = startCli(['run', 'smoke', '--stack', 'remote', '--config', config, '--out', out, '--set', 'rate=10', '--set', 'duration=3s', '--quiet', ...RIG_UNJUDGED], dir);
  for (const name of Object.keys(env)) delete process.env[name];
  const r = await cli.done;
  t.is(r.code, 0, r.stdout + r.stderr);
  const result = JSON.parse(await readFile(path.join(out, 'result.json'), 'utf8')) as RunResult;
  t.is(result.verdict, 'pass');
  const accepted = result.metrics.find((m) => m.name === 'smtp.success')?.values['passes'] ?? -1;
  t.true(accepted >= 20, `${accepted} sends`);
  t.is(options.metrics.total('mta.accepted'), accepted, 'the platform took every message the run sent');
  t.like(result.ledger, { expected: accepted, delivered: accepted, lost: 0, duplicated: 0, unexpected: 0, final: true });
  t.false('unverified' in result.ledger!, 'every mailbox could be read');
  const byMetric = Object.fromEntries(result.gates.map((g) => [g.metric, g]));
  for (const metric of ['mail_lost', 'mail_duplicated', 'mail_delivered']) {
    t.is(byMetric[metric]?.notEvaluated, undefined, `${metric} judged`);
    t.true(byMetric[metric]?.ok, metric);
  }
  t.is(byMetric['mail_delivered']?.observed, accepted);
  t.true(result.stack.notes.some((n) => /^deliveries counted by reading 6 mailboxes over IMAP \(folders INBOX; every 200ms for up to 20s; arrival time = INTERNALDATE; found test messages left in place\)$/.test(n)), result.stack.notes.join('\n'));
  // the reconcile logged in with every password, and no file the run wrote holds one
  for (const f of await readdir(out)) {
    const text = await readFile(path.join(out, f), 'utf8');
    for (const pw of Object.values(env)) t.false(text.includes(pw), `${f} holds a password`);
  }
  // nothing was removed from the user's mailboxes
  const left = await Promise.all(platform.directory!.userCount ? Array.from({ length: 6 }, (_, i) => testMessagesIn(platform, platform.directory!.addressAt(i))) : []);
  t.is(left.reduce((a, b) => a + b, 0), accepted);
});

test('a registered message that never reached its mailbox is lost (count 1); a mailbox whose login fails is named and its mail unverified, not lost; delete: true removes what was found', async (t) => {
  t.timeout(60_000);
  const dir = await tempDir(t);
  const env: Record<string, string> = {};
  const { platform, population, addresses } = await platformWithPopulation(dir, 4, env, 3);
  await using _ = platform;
  const e = platform.endpoints;
  Object.assign(process.env, env);
  t.teardown(() => { for (const name of Object.keys(env)) delete process.env[name]; });
  const run = stackOptions();
  const remote = await createRemoteProvider().start({
    ...run,
    config: {
      allow: ['127.0.0.0/8'], smtp: { host: '127.0.0.1', port: e.smtp.port }, imap: { host: '127.0.0.1', port: e.imap.port },
      population, reconcile: { imap: { interval: '100ms', timeout: '5s', delete: true } },
    },
  });
  t.is(remote.deliveriesUnseen, undefined);
  t.truthy(remote.collectDeliveries);
  t.true(remote.description.notes.includes(`mailboxes that could not be read, their mail counted as unverified: ${addresses[3]} (login failed (AUTHENTICATIONFAILED))`), remote.description.notes.join('\n'));
  const smtp = createSmtpClient({ endpoints: remote.endpoints, ledger: run.ledger, metrics: run.metrics, clock: systemClock });
  // two messages to each of the four mailboxes, the second also copied to the next mailbox
  let accepted = 0;
  for (const [i, to] of addresses.entries()) {
    for (let k = 0; k < 2; k++) {
      const r = await smtp.send({ from: addresses[0]!, to: k === 0 ? [to] : [to, addresses[(i + 1) % 4]!], subject: `reconcile ${to} ${k}`, flow: 'test' });
      if (r.ok) accepted += k === 0 ? 1 : 2;
    }
  }
  await smtp.close();
  t.is(accepted, 12);
  // the ledger also expects one message the platform was never given: the reconcile must call it lost
  run.ledger.expect({ id: 'never-sent-1', flow: 'test', recipients: [addresses[2]!], acceptedAt: systemClock.now() });
  const started = Date.now();
  const drain = await remote.collectDeliveries!.collect({ drainMs: 30_000, signal: new AbortController().signal });
  t.false(drain.drained);
  t.true(Date.now() - started < 15_000, 'the reconcile timeout (5s) bounded the wait, not the drain (30s)');
  const summary = run.ledger.reconcile({ final: true, now: systemClock.now() });
  // to addresses[3] (wrong password): its own two messages and the copy from addresses[2]'s second
  t.like(summary, { expected: 13, delivered: 9, lost: 1, duplicated: 0, unverified: 3, unexpected: 0 });
  t.deepEqual(summary.samples.lost, [`never-sent-1 -> ${addresses[2]}`]);
  t.deepEqual(summary.unverifiedMailboxes, { [addresses[3]!]: 'login failed (AUTHENTICATIONFAILED)' });
  t.true(run.events.all().some((ev) => ev.type === 'reconcile_deleted' && ev['messages'] === 9));
  // delete: true took the found test messages out; the unreadable mailbox was not touched
  t.deepEqual(await Promise.all(addresses.map((a) => testMessagesIn(platform, a))), [0, 0, 0, 3]);
  await remote.stop();
});

test('sink mode: mail the platform relays to mailstorm\'s sink is counted, and the ledger gates are judged', async (t) => {
  t.timeout(120_000);
  const dir = await tempDir(t);
  const domain = 'sink.remote.test';
  const accounts = Array.from({ length: 5 }, (_, i) => `user${i}@${domain}`);
  const env: Record<string, string> = {};
  accounts.forEach((_, i) => (env[`SINK_PW_${i}`] = `pw-${i}-not-used-for-relay`));
  const population = path.join(dir, 'accounts.csv');
  await writeFile(population, `address,organisation,password\n${accounts.map((a, i) => `${a},remote,env:SINK_PW_${i}`).join('\n')}\n`);
  // the platform: an MTA whose transport for the test domain is mailstorm's sink (a port chosen here)
  const sinkPort = await freePort();
  const target = relayTarget({ host: '127.0.0.1', port: sinkPort });
  t.teardown(() => target.close());
  const directory = new AccountsDirectory(readPopulationFile(population, env).accounts);
  await using mta = await new FakeMta({ directory, target, ledger: stackOptions().ledger }).start();
  const config = path.join(dir, 'platform.yaml');
  await writeFile(config, [
    'allow: [127.0.0.1]',
    `smtp: { host: 127.0.0.1, port: ${mta.port} }`,
    `population: ${population}`,
    `reconcile: { sink: { listen: { host: 127.0.0.1, port: ${sinkPort} } } }`,
    '',
  ].join('\n'));
  const out = path.join(dir, 'out');
  Object.assign(process.env, env);
  const cli = startCli(['run', 'smoke', '--stack', 'remote', '--config', config, '--out', out, '--set', 'rate=10', '--set', 'duration=2s', '--quiet', ...RIG_UNJUDGED], dir);
  for (const name of Object.keys(env)) delete process.env[name];
  const r = await cli.done;
  t.is(r.code, 0, r.stdout + r.stderr);
  const result = JSON.parse(await readFile(path.join(out, 'result.json'), 'utf8')) as RunResult;
  t.is(result.verdict, 'pass');
  const accepted = result.metrics.find((m) => m.name === 'smtp.success')?.values['passes'] ?? -1;
  t.true(accepted >= 10, `${accepted} sends`);
  t.like(result.ledger, { expected: accepted, delivered: accepted, lost: 0, duplicated: 0 });
  t.is(result.metrics.find((m) => m.name === 'sink.arrivals')?.values['count'], accepted);
  const gate = result.gates.find((g) => g.metric === 'mail_delivered');
  t.is(gate?.notEvaluated, undefined);
  t.is(gate?.observed, accepted);
  t.true(result.stack.notes.includes(`deliveries counted by mailstorm's sink at 127.0.0.1:${sinkPort}, to which the platform routes the test domain`));
  t.deepEqual(result.stack.components.at(-1), { name: 'sink', endpoint: `127.0.0.1:${sinkPort}` });
});

async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as import('node:net').AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

test('suite acceptance --stack remote: smoke and the reply-all storm run and are accounted over IMAP (a platform without storm protection fails the storm); the replays that need mailstorm to own the platform are skipped and named', async (t) => {
  t.timeout(600_000);
  const dir = await tempDir(t);
  const options = stackOptions({ population: { organisations: [{ name: 'Remote Trust', users: 8 }] }, lists: [{ address: 'everyone@nhs.test', members: 'all' }] });
  await using platform = await embeddedProvider.start(options);
  const directory = platform.directory!;
  const env: Record<string, string> = {};
  const accounts = Array.from({ length: directory.userCount }, (_, i) => {
    const user = directory.user(directory.addressAt(i))!;
    env[`SUITE_PW_${i}`] = user.password;
    return user.address;
  });
  const population = path.join(dir, 'accounts.yaml');
  await writeFile(population, [
    'accounts:',
    ...accounts.map((a, i) => `  - { address: ${a}, organisation: remote-trust, password: env:SUITE_PW_${i} }`),
    'lists:',
    `  everyone@nhs.test: [${accounts.join(', ')}]`,
    '',
  ].join('\n'));
  const e = platform.endpoints;
  const config = path.join(dir, 'platform.yaml');
  await writeFile(config, [
    'allow: [127.0.0.1]',
    `smtp: { host: 127.0.0.1, port: ${e.smtp.port} }`,
    `submission: { host: 127.0.0.1, port: ${e.submission.port} }`,
    `imap: { host: 127.0.0.1, port: ${e.imap.port} }`,
    `population: ${population}`,
    'reconcile: { imap: { interval: 500ms } }',
    // the platform is this test's own: its owner raises the caps for the storm's senders
    'caps: { smtp: { rate: 1000, connections: 100 }, submission: { rate: 10000, connections: 10000 } }',
    '',
  ].join('\n'));
  const out = path.join(dir, 'suite');
  Object.assign(process.env, env);
  const cli = startCli(['suite', 'acceptance', '--stack', 'remote', '--config', config, '--out', out, '--scale', '1', ...RIG_UNJUDGED], dir);
  for (const name of Object.keys(env)) delete process.env[name];
  const r = await cli.done;
  const suite = JSON.parse(await readFile(path.join(out, 'suite.json'), 'utf8')) as { runs: { scenario: string; dir: string; verdict: string }[]; skipped: { scenario: string; reason: string }[] };
  t.deepEqual(suite.runs.map((run) => run.scenario), ['smoke', 'reply-all-storm'], r.stdout + r.stderr);
  t.deepEqual(suite.skipped.map((s) => s.scenario), ['mass-lockout', 'weekend-migration', 'leak-failover', 'cutover']);
  t.regex(r.stdout, /mass-lockout +skipped +not run on this stack: switches the password policy/);
  for (const run of suite.runs) {
    const result = JSON.parse(await readFile(path.join(out, run.dir, 'result.json'), 'utf8')) as RunResult;
    const accepted = result.ledger?.expected ?? -1;
    t.true(accepted > 0, `${run.scenario}: ${JSON.stringify(result.ledger)}`);
    t.like(result.ledger, { delivered: accepted, lost: 0, duplicated: 0, final: true }, run.scenario);
    t.is(result.gates.find((g) => g.metric === 'mail_lost')?.notEvaluated, undefined, run.scenario);
    t.true(result.stack.notes.some((n) => n.startsWith('deliveries counted by reading 8 mailboxes over IMAP')), run.scenario);
  }
  // The platform was started without storm protection, and stormProtection=true is a setting a
  // remote platform is not given: the storm replay fails on exactly that gate, as a supplier's would.
  t.deepEqual(suite.runs.map((run) => run.verdict), ['pass', 'fail']);
  const storm = JSON.parse(await readFile(path.join(out, suite.runs[1]!.dir, 'result.json'), 'utf8')) as RunResult;
  t.deepEqual(storm.gates.filter((g) => !g.ok && g.notEvaluated === undefined).map((g) => g.metric), ['storm_replyalls_before_block']);
  // A remote platform does not show its queue: the drain gate is not judged on a stand-in 0.
  const drainGate = storm.gates.find((g) => g.metric === 'storm_queue_drain_seconds');
  t.like(drainGate, { ok: false, observed: null });
  t.regex(drainGate?.notEvaluated ?? '', /does not show mailstorm its queue depth/);
  t.is(storm.figures['queue_drain_seconds'], undefined);
  t.true(storm.stack.notes.some((n) => n.startsWith('spec.mta not applied')), storm.stack.notes.join('\n'));
  t.is(r.code, 1, r.stdout);
});

test('a TLS-only platform (implicit TLS, verified against its CA file) is reconciled over IMAP as well: every accepted message found once', async (t) => {
  t.timeout(120_000);
  const dir = await tempDir(t);
  const env: Record<string, string> = {};
  const { platform, population } = await platformWithPopulation(dir, 4, env, undefined, 'implicit');
  await using _ = platform;
  const ca = path.join(dir, 'platform-logs', 'embedded-ca.pem');
  const e = platform.endpoints;
  const config = path.join(dir, 'platform.yaml');
  await writeFile(config, [
    'allow: [127.0.0.1]',
    `smtp: { host: 127.0.0.1, port: ${e.smtp.port}, tls: implicit, ca: ${ca} }`,
    `imap: { host: 127.0.0.1, port: ${e.imap.port}, tls: implicit, ca: ${ca} }`,
    `population: ${population}`,
    'reconcile: { imap: { interval: 200ms, timeout: 20s } }',
    '',
  ].join('\n'));
  const out = path.join(dir, 'out');
  Object.assign(process.env, env);
  const cli = startCli(['run', 'smoke', '--stack', 'remote', '--config', config, '--out', out, '--set', 'rate=10', '--set', 'duration=2s', '--quiet', ...RIG_UNJUDGED], dir);
  for (const name of Object.keys(env)) delete process.env[name];
  const r = await cli.done;
  t.is(r.code, 0, r.stdout + r.stderr);
  const result = JSON.parse(await readFile(path.join(out, 'result.json'), 'utf8')) as RunResult;
  const accepted = result.metrics.find((m) => m.name === 'smtp.success')?.values['passes'] ?? -1;
  t.true(accepted >= 10, `${accepted} sends`);
  t.like(result.ledger, { expected: accepted, delivered: accepted, lost: 0, duplicated: 0 });
  t.false('unverified' in result.ledger!, 'every mailbox was read over TLS');
  t.true(result.stack.notes.some((n) => n.startsWith('deliveries counted by reading 4 mailboxes over IMAP')));
});

test('a platform that takes OAuth2 tokens only is reconciled with the remote\'s auth: the mailboxes are read over XOAUTH2 and every accepted message is found', async (t) => {
  t.timeout(120_000);
  const dir = await tempDir(t);
  const options = stackOptions({ population: { organisations: [{ name: 'OAuth Trust', users: 4 }] }, lockout: { policy: 'none' } });
  await using platform = await embeddedProvider.start({ ...options, config: { auth: 'oauth2' } });
  const directory = platform.directory!;
  const service = platform.oauthTokens!.serviceToken();
  await writeFile(path.join(dir, 'service.token'), `${service}\n`);
  const env: Record<string, string> = {};
  const rows = Array.from({ length: directory.userCount }, (_, i) => {
    env[`OAUTH_RC_PW_${i}`] = directory.user(directory.addressAt(i))!.password;
    return `${directory.addressAt(i)},oauth-trust,env:OAUTH_RC_PW_${i}`;
  });
  await writeFile(path.join(dir, 'accounts.csv'), `address,organisation,password\n${rows.join('\n')}\n`);
  const e = platform.endpoints;
  const config = path.join(dir, 'platform.yaml');
  await writeFile(config, [
    'allow: [127.0.0.1]',
    `smtp: { host: 127.0.0.1, port: ${e.smtp.port} }`,
    `imap: { host: 127.0.0.1, port: ${e.imap.port} }`,
    'population: accounts.csv',
    'auth: { type: oauth2, token: file:service.token }',
    'reconcile: { imap: { interval: 200ms, timeout: 20s } }',
    '',
  ].join('\n'));
  const out = path.join(dir, 'out');
  Object.assign(process.env, env);
  const cli = startCli(['run', 'smoke', '--stack', 'remote', '--config', config, '--out', out, '--set', 'rate=10', '--set', 'duration=2s', '--quiet', ...RIG_UNJUDGED], dir);
  for (const name of Object.keys(env)) delete process.env[name];
  const r = await cli.done;
  t.is(r.code, 0, r.stdout + r.stderr);
  const result = JSON.parse(await readFile(path.join(out, 'result.json'), 'utf8')) as RunResult;
  const accepted = result.metrics.find((m) => m.name === 'smtp.success')?.values['passes'] ?? -1;
  t.true(accepted >= 10, `${accepted} sends`);
  t.like(result.ledger, { expected: accepted, delivered: accepted, lost: 0, duplicated: 0 });
  t.false('unverified' in result.ledger!, 'every mailbox took the token');
  for (const f of await readdir(out)) t.false((await readFile(path.join(out, f), 'utf8')).includes(service), `${f} holds the token`);
});
