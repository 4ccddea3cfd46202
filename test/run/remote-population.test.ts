// A remote stack's test accounts come from a population file whose passwords are read from
// the environment or from files; the platform's deliveries are not seen, so the ledger's
// gates are not evaluated rather than read as lost mail. The "remote" platform here is an
// embedded stack this test starts, described to mailstorm only by a config file.
import test from 'ava';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readPopulationFile } from '../../directory/population-file.ts';
import { AccountsDirectory } from '../../directory/accounts-directory.ts';
import { InputError, StackError } from '../../engine/errors.ts';
import { embeddedProvider } from '../../stack/embedded/index.ts';
import { DELIVERIES_UNSEEN } from '../../stack/remote/index.ts';
import type { RunResult } from '../../harness/result-schema.ts';
import { startCli } from '../cli/helpers.ts';
import { stackOptions } from '../stack-embedded/helpers.ts';

async function tempDir(t: { teardown(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mailstorm-population-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('a CSV population reads each password from the environment or a file, never from the file itself', async (t) => {
  const dir = await tempDir(t);
  await writeFile(path.join(dir, 'bob.secret'), 'b0b-from-a-file\n');
  const file = path.join(dir, 'accounts.csv');
  await writeFile(file, 'address,organisation,password\n# test tenant\nalice@trust-a.test,trust-a,env:ALICE_PW\nbob@trust-a.test,,file:bob.secret\n');
  const population = readPopulationFile(file, { ALICE_PW: 'al1ce-from-env' });
  t.deepEqual(population.accounts, [
    { address: 'alice@trust-a.test', organisation: 'trust-a', password: 'al1ce-from-env', devices: [] },
    { address: 'bob@trust-a.test', organisation: 'trust-a.test', password: 'b0b-from-a-file', devices: [] },
  ]);
  const directory = new AccountsDirectory(population.accounts);
  t.like(directory.authenticate('Alice@trust-a.test', 'al1ce-from-env'), { ok: true });
  t.like(directory.authenticate('bob@trust-a.test', 'wrong'), { ok: false, reason: 'bad-password' });
  t.is(directory.addressAt(1), 'bob@trust-a.test');
  t.is(directory.domain, 'trust-a.test');
  // what only mailstorm's own directory can do is refused, naming the part
  t.throws(() => directory.enforceStrictPolicy(), { instanceOf: StackError, message: /switching on a stricter password policy needs mailstorm's own directory .* cannot run remotely/ });

  const bad = async (text: string, env: Record<string, string> = {}) => {
    await writeFile(file, text);
    return t.throws(() => readPopulationFile(file, env), { instanceOf: InputError })?.message;
  };
  t.regex(await bad('address,organisation,password\nalice@trust-a.test,trust-a,hunter2\n') ?? '', /row 2 \(alice@trust-a\.test\): password: give env:NAME or file:PATH; a password is never written in the population file/);
  t.regex(await bad('address,organisation,password\nalice@trust-a.test,trust-a,env:NOPE\n') ?? '', /environment variable NOPE is not set/);
  t.regex(await bad('address,organisation,password\na@x.test,x,env:P\nA@x.test,x,env:P\n', { P: 'p' }) ?? '', /row 3 \(A@x\.test\): the address appears twice/);
  t.regex(await bad('email,password\na@x.test,env:P\n') ?? '', /the first line must be the header address,organisation,password/);
});

test('a YAML population carries devices and lists; a list member who is not an account is named', async (t) => {
  const dir = await tempDir(t);
  const file = path.join(dir, 'accounts.yaml');
  await writeFile(file, 'accounts:\n  - { address: a@x.test, password: env:A, devices: [{ id: phone-1, password: env:OLD }] }\n  - { address: b@x.test, password: env:B }\nlists:\n  all@x.test: [a@x.test, b@x.test]\n');
  const population = readPopulationFile(file, { A: 'aaaa', B: 'bbbb', OLD: 'old-aaaa' });
  const directory = new AccountsDirectory(population.accounts, population.lists);
  t.deepEqual(directory.user('a@x.test')?.devices, [{ id: 'phone-1', password: 'old-aaaa', stale: true }]);
  t.deepEqual(directory.expand('all@x.test'), ['a@x.test', 'b@x.test']);
  t.true(directory.exists('all@x.test'));
  await writeFile(file, 'accounts:\n  - { address: a@x.test, password: env:A }\nlists:\n  all@x.test: [a@x.test, c@x.test]\n');
  t.throws(() => readPopulationFile(file, { A: 'aaaa' }), { instanceOf: InputError, message: /lists\.all@x\.test: c@x\.test not among the accounts/ });
});

test('smoke against a remote platform: its users from the population file, every send accepted, the ledger gates not judged instead of all mail lost', async (t) => {
  t.timeout(120_000);
  const options = stackOptions({ population: { organisations: [{ name: 'Remote Trust', users: 6 }] } });
  await using platform = await embeddedProvider.start(options);
  const directory = platform.directory!;
  const dir = await tempDir(t);
  const env: Record<string, string> = {};
  const rows = Array.from({ length: directory.userCount }, (_, i) => {
    const user = directory.user(directory.addressAt(i))!;
    env[`PW_${i}`] = user.password;
    return `${user.address},remote-trust,env:PW_${i}`;
  });
  await writeFile(path.join(dir, 'accounts.csv'), `address,organisation,password\n${rows.join('\n')}\n`);
  const e = platform.endpoints;
  const config = path.join(dir, 'platform.yaml');
  await writeFile(config, [
    'description: an embedded stack, described as a remote one',
    'allow: [127.0.0.1]',
    `smtp: { host: 127.0.0.1, port: ${e.smtp.port} }`,
    `submission: { host: 127.0.0.1, port: ${e.submission.port} }`,
    `population: ${path.join(dir, 'accounts.csv')}`,
    '',
  ].join('\n'));
  const out = path.join(dir, 'out');
  // the child gets the passwords the population file names through its environment
  Object.assign(process.env, env);
  const cli = startCli(['run', 'smoke', '--stack', 'remote', '--config', config, '--out', out, '--set', 'rate=10', '--set', 'duration=3s', '--quiet'], dir);
  for (const name of Object.keys(env)) delete process.env[name];
  const r = await cli.done;
  t.is(r.code, 0, r.stdout + r.stderr);
  const result = JSON.parse(await readFile(path.join(out, 'result.json'), 'utf8')) as RunResult;
  t.is(result.verdict, 'pass');
  t.is(result.ledger, undefined, 'no ledger: the platform\'s deliveries were not seen');
  const byMetric = Object.fromEntries(result.gates.map((g) => [g.metric, g]));
  for (const metric of ['mail_lost', 'mail_duplicated', 'mail_delivered']) t.is(byMetric[metric]?.notEvaluated, DELIVERIES_UNSEEN, metric);
  const sent = result.metrics.find((m) => m.name === 'smtp.success');
  t.is(sent?.values['fails'], 0, 'every address from the population file was accepted');
  t.true((sent?.values['passes'] ?? 0) >= 20, `${sent?.values['passes']} sends`);
  t.true(byMetric['iterations']?.ok);
  t.true(result.stack.notes.some((n) => /population: 6 test accounts/.test(n)));
  // the platform did get the mail: its MTA accepted every message the run sent
  t.is(options.metrics.total('mta.accepted'), sent?.values['passes'] ?? -1);
  // the passwords were read, and nothing the run wrote holds one
  for (const f of await readdir(out)) {
    const text = await readFile(path.join(out, f), 'utf8');
    for (const pw of Object.values(env)) t.false(text.includes(pw), `${f} holds a password`);
  }
});
