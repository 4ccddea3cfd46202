// The stack plug-ins: kinds come from the registered plugins, each plugin checks its own
// --config, and the one bounded teardown every provider and the run use.
import test from 'ava';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InputError, StackError } from '../../engine/errors.ts';
import { Teardown } from '../../engine/teardown.ts';
import { STACK_KINDS, loadProvider, loadStackConfig, parseStackKind } from '../../stack/index.ts';
import { STACK_PLUGINS } from '../../stack/providers.ts';
import { StackTeardown } from '../../stack/common/teardown.ts';

const configFile = async (yaml: string) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'mailstorm-plugins-'));
  const file = path.join(dir, 'stack.yaml');
  await writeFile(file, yaml);
  return file;
};

test('the stack kinds are the registered plugins, in order, and each loads its own provider', async (t) => {
  t.deepEqual([...STACK_KINDS], STACK_PLUGINS.map((p) => p.kind));
  t.deepEqual([...STACK_KINDS], ['embedded', 'docker', 'remote']);
  t.is((await loadProvider('embedded')).kind, 'embedded');
  t.is((await loadProvider('remote')).kind, 'remote');
  t.throws(() => parseStackKind('k8s'), { instanceOf: InputError, message: '--stack k8s: unknown stack; allowed: embedded, docker, remote' });
});

test('each plugin checks its own --config; the embedded stack takes tls and auth', async (t) => {
  const docker = await configFile('build: always\ndomain: nhs.test\n');
  t.deepEqual(await loadStackConfig(docker, 'docker'), { build: 'always', domain: 'nhs.test' });
  await t.throwsAsync(loadStackConfig(await configFile('bulid: always\n'), 'docker'), { instanceOf: InputError, message: /unknown field "bulid"; allowed: build, release, mirror, toxiproxy, domain, tls, auth/ });
  const remote = await configFile('allow: [127.0.0.1]\nsmtp: { host: 127.0.0.1, port: 2525 }\n');
  t.deepEqual(await loadStackConfig(remote, 'remote'), { allow: ['127.0.0.1'], smtp: { host: '127.0.0.1', port: 2525 } });
  await t.throwsAsync(loadStackConfig(await configFile('description: x\n'), 'remote'), { instanceOf: InputError, message: /names no endpoint/ });
  await t.throwsAsync(loadStackConfig(docker, 'embedded'), { instanceOf: InputError, message: `${docker}: embedded stack config: unknown field "build"; allowed: tls, auth` });
  t.deepEqual(await loadStackConfig(await configFile('tls: starttls\n'), 'embedded'), { tls: 'starttls' });
  await t.throwsAsync(loadStackConfig(await configFile('tls: ssl\n'), 'embedded'), { instanceOf: InputError, message: /tls must be one of starttls, implicit, none, got "ssl"/ });
  t.deepEqual(await loadStackConfig(await configFile('auth: oauth2\n'), 'embedded'), { auth: 'oauth2' });
  await t.throwsAsync(loadStackConfig(await configFile('auth: kerberos\n'), 'embedded'), { instanceOf: InputError, message: /auth must be one of password, oauth2, got "kerberos"/ });
});

test('teardown runs steps last first, past a failure and a hang, and a call under way is shared', async (t) => {
  const order: string[] = [];
  const teardown = new Teardown(50);
  teardown.add('first', () => { order.push('first'); });
  teardown.add('hangs', () => new Promise(() => {}));
  teardown.add('fails', () => { throw new Error('boom'); });
  teardown.add('last', async () => { order.push('last'); });
  const [a, b] = await Promise.all([teardown.run(), teardown.run()]);
  t.deepEqual(order, ['last', 'first']);
  t.deepEqual(a.map((f) => f.task), ['fails', 'hangs']);
  t.regex(a[1]?.message ?? '', /did not finish within 50 ms/);
  t.is(a, b);
  t.deepEqual(await teardown.run(), [], 'nothing left to undo');
});

test("a stack's teardown stops once and names every failed step in one StackError", async (t) => {
  let stops = 0;
  const teardown = new StackTeardown('the test stack');
  teardown.add('network', () => { stops++; });
  teardown.add('container', () => { throw new Error('still running'); });
  const error = await t.throwsAsync(teardown.stop(), { instanceOf: StackError });
  t.is(error?.message, 'stopping the test stack failed: container: still running');
  await t.throwsAsync(teardown.stop(), { instanceOf: StackError });
  t.is(stops, 1);
});
