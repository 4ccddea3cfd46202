// A remote config's `auth` and a population file's tokens: checked when the run starts (every
// token read once, so a bad path or a failing command stops it before any load, naming the
// key), and a forced mechanism reaching the platform's submission port.
import test from 'ava';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { remoteProvider } from '../../stack/remote/index.ts';
import { parseRemoteConfig } from '../../stack/remote/config.ts';
import { readPopulationFile } from '../../directory/population-file.ts';
import { embeddedProvider } from '../../stack/embedded/index.ts';
import { createSmtpClient } from '../../engine/clients/smtp-client.ts';
import { InputError } from '../../engine/errors.ts';
import { systemClock } from '../../engine/clock.ts';
import { stackOptions } from '../stack-embedded/helpers.ts';
import { RecordingMetrics } from '../ledger/recording-metrics.ts';

async function tempDir(t: { teardown(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mailstorm-remote-auth-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const endpoints = { allow: ['127.0.0.1'], submission: { host: '127.0.0.1', port: 9 } };

test('auth keys are checked by name', (t) => {
  t.like(parseRemoteConfig({ ...endpoints, auth: { type: 'oauth2', token: 'command:get-token --json' } }).auth, { type: 'oauth2', token: 'command:get-token --json' });
  t.throws(() => parseRemoteConfig({ ...endpoints, auth: { type: 'kerberos' } }), { instanceOf: InputError, message: /^--config: auth\.type: / });
  t.throws(() => parseRemoteConfig({ ...endpoints, auth: { type: 'password', authMethod: 'CRAM-MD5' } }), { instanceOf: InputError, message: /^--config: auth\.authMethod: / });
  t.throws(() => parseRemoteConfig({ ...endpoints, auth: { type: 'oauth2', tokn: 'file:x' } }), { instanceOf: InputError, message: /tokn/ });
});

test('a population file names each account\'s token in a fourth CSV column or in YAML; an account with neither password nor token is named', async (t) => {
  const dir = await tempDir(t);
  await writeFile(path.join(dir, 'a.token'), 'tok-a\n');
  const csv = path.join(dir, 'accounts.csv');
  await writeFile(csv, 'address,organisation,password,token\na@x.test,x,,file:a.token\nb@x.test,x,env:B,\n');
  const population = readPopulationFile(csv, { B: 'bbbb' });
  t.is(population.accounts[0]!.password, '');
  t.is(await population.accounts[0]!.token!.token(), 'tok-a');
  t.is(population.accounts[1]!.token, undefined);
  await writeFile(csv, 'address,organisation,password,token\na@x.test,x,,\n');
  t.throws(() => readPopulationFile(csv), { instanceOf: InputError, message: /row 2 \(a@x\.test\): give a password \(env:NAME or file:PATH\) or a token/ });
  await writeFile(csv, 'address,organisation,password,token\na@x.test,x,,tok-in-the-file\n');
  t.throws(() => readPopulationFile(csv), { instanceOf: InputError, message: /row 2 \(a@x\.test\): token: give file:PATH or command:PROGRAM ARGS; a token is never written in the file itself/ });
  const yaml = path.join(dir, 'accounts.yaml');
  await writeFile(yaml, 'accounts:\n  - { address: a@x.test, token: file:a.token }\n');
  t.is(await readPopulationFile(yaml).accounts[0]!.token!.token(), 'tok-a');
});

test('the run stops before any load when a token cannot be had, naming the key', async (t) => {
  const dir = await tempDir(t);
  const start = (config: Record<string, unknown>) => remoteProvider.start({ ...stackOptions(), config: { ...endpoints, ...config } });
  await t.throwsAsync(start({ auth: { type: 'oauth2' } }), { instanceOf: InputError, message: /auth: oauth2 names no token, and there is no population file/ });
  await writeFile(path.join(dir, 'accounts.csv'), 'address,organisation,password,token\na@x.test,x,,file:a.token\nb@x.test,x,file:b.pw,\n');
  await writeFile(path.join(dir, 'b.pw'), 'bbbb');
  await t.throwsAsync(start({ population: path.join(dir, 'accounts.csv'), auth: { type: 'oauth2' } }), { instanceOf: InputError, message: /these accounts have none of their own in the population file: b@x\.test/ });
  await t.throwsAsync(start({ population: path.join(dir, 'accounts.csv') }), { instanceOf: InputError, message: /accounts\.csv: row 2 \(a@x\.test\): token: cannot read .*a\.token \(ENOENT\)/ });
  await t.throwsAsync(start({ auth: { type: 'oauth2', token: `command:${process.execPath} -e process.exit(7)` } }), { instanceOf: InputError, message: '--config: auth.token: the command node: exited with 7' });
});

test('authMethod: LOGIN in a remote config reaches the platform\'s submission port as AUTH LOGIN', async (t) => {
  const options = stackOptions({ population: { organisations: [{ name: 'Login Trust', users: 2 }] } });
  await using platform = await embeddedProvider.start(options);
  const remote = await remoteProvider.start({ ...stackOptions(), config: { allow: ['127.0.0.1'], submission: platform.endpoints.submission, auth: { type: 'password', authMethod: 'LOGIN' } } });
  t.true(remote.description.notes.includes('auth: password, AUTH LOGIN forced'));
  const user = platform.directory!.user(platform.directory!.addressAt(0))!;
  const smtp = createSmtpClient({ endpoints: remote.endpoints, ledger: options.ledger, metrics: new RecordingMetrics(), clock: systemClock, auth: remote.auth! });
  const sent = await smtp.send({ from: user.address, to: [platform.directory!.addressAt(1)], auth: { user: user.address, pass: user.password }, endpoint: 'submission' });
  await smtp.close();
  t.true(sent.ok, sent.response);
  t.is(options.metrics.total('mta.logins', { mechanism: 'LOGIN' }), 1);
  t.is(options.metrics.total('mta.logins', { mechanism: 'PLAIN' }), 0);
});
