import test from 'ava';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteProvider } from '../../stack/remote/index.ts';
import { parseRemoteConfig } from '../../stack/remote/config.ts';
import type { Resolver } from '../../stack/remote/allow-list.ts';
import { createHttpClient } from '../../engine/clients/http-client.ts';
import { MetricsRegistry } from '../../engine/metrics/registry.ts';
import { InputError, StackError } from '../../engine/errors.ts';
import { systemClock } from '../../engine/clock.ts';
import { seededRandom } from '../../engine/random.ts';
import { MemoryEventLog } from '../../engine/events.ts';
import type { Ledger } from '../../engine/ledger/types.ts';
import type { StackOptions } from '../../stack/types.ts';
import { runCli } from '../cli/helpers.ts';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { RunResult } from '../../harness/result-schema.ts';
import os from 'node:os';
import path from 'node:path';

function options(config: Record<string, unknown>): StackOptions {
  return {
    spec: { lockout: { policy: 'ad' } }, clock: systemClock, random: seededRandom(1),
    metrics: { declare() {}, count() {}, rate() {}, gauge() {}, trend() {} }, ledger: {} as Ledger,
    events: new MemoryEventLog(0), logDir: '/tmp', config,
  };
}

/** Names resolve to what the test says, so no real DNS is asked. */
function resolverOf(names: Record<string, string[]>): Resolver {
  return async (host) => {
    const addresses = names[host];
    if (!addresses) throw new Error(`ENOTFOUND ${host}`);
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

const provider = createRemoteProvider(resolverOf({
  'smtp.test.example': ['192.0.2.10'],
  'mx.supplier.test': ['203.0.113.9'],
  'split.supplier.test': ['192.0.2.11', '203.0.113.10'],
}));

test('only the endpoints the config names are offered, pinned to the address the allow-list passed', async (t) => {
  const stack = await provider.start(options({ allow: ['smtp.test.example'], submission: { host: 'smtp.test.example', port: 587 } }));
  t.deepEqual(stack.endpoints.submission, { host: '192.0.2.10', port: 587 });
  t.throws(() => stack.endpoints.smtp, { instanceOf: StackError, message: /names no "smtp" endpoint/ });
  t.throws(() => stack.endpoints.toxiproxy, { instanceOf: StackError });
  t.deepEqual(stack.description.components, [{ name: 'submission', endpoint: 'smtp.test.example:587 -> 192.0.2.10' }]);
  t.true(stack.description.notes.includes('allow-list: smtp.test.example'));
  t.true(stack.description.notes.some((n) => n.includes('spec.lockout not applied')));
  await stack.stop();
});

test('config errors name the key; no allow-list, or one that allows everything, is refused', (t) => {
  const allow = ['127.0.0.1'];
  t.throws(() => parseRemoteConfig({ allow, smtp: { host: 'mx', port: 99999 } }), { instanceOf: InputError, message: /smtp\.port/ });
  t.throws(() => parseRemoteConfig({ allow, smtp: { host: 'mx', port: 25 }, imap_host: 'x' }), { instanceOf: InputError, message: /imap_host/ });
  t.throws(() => parseRemoteConfig({ allow, description: 'nothing named' }), { instanceOf: InputError, message: /names no endpoint/ });
  t.throws(() => parseRemoteConfig({ smtp: { host: 'mx', port: 25 } }), { instanceOf: InputError, message: /allow: a remote stack needs an allow-list/ });
  t.throws(() => parseRemoteConfig({ allow: [], smtp: { host: 'mx', port: 25 } }), { instanceOf: InputError, message: /allow: a remote stack needs an allow-list/ });
  const bad = t.throws(() => parseRemoteConfig({ allow: ['0.0.0.0/0', '10.0.0.0/33', 'not a host!', '::/0', 'mx/24'], smtp: { host: 'mx', port: 25 } }), { instanceOf: InputError });
  t.deepEqual(bad?.message.split('\n'), [
    '--config: allow: 0.0.0.0/0: allows every address, which is no allow-list; name the platform\'s hosts or blocks',
    '--config: allow: 10.0.0.0/33: /33 is not a prefix length for IPv4',
    '--config: allow: not a host!: not an address, CIDR block or hostname',
    '--config: allow: ::/0: allows every address, which is no allow-list; name the platform\'s hosts or blocks',
    '--config: allow: mx/24: a CIDR block needs an IP address before the "/"',
  ]);
});

test('an endpoint outside the allow-list stops the start, naming the endpoint, the address and the rules', async (t) => {
  const literal = await t.throwsAsync(provider.start(options({ allow: ['127.0.0.0/8'], submission: { host: '10.1.2.3', port: 587 } })), { instanceOf: InputError });
  t.is(literal?.message, '--config: submission 10.1.2.3: 10.1.2.3 is not covered by any allow rule (allow: 127.0.0.0/8); nothing was sent to it');
  // a friendly name that points elsewhere is judged by where it points
  const named = await t.throwsAsync(provider.start(options({ allow: ['192.0.2.0/24', 'smtp.test.example'], smtp: { host: 'mx.supplier.test', port: 25 } })), { instanceOf: InputError });
  t.is(named?.message, '--config: smtp mx.supplier.test: mx.supplier.test resolves to 203.0.113.9, which is not covered by any allow rule (allow: 192.0.2.0/24, smtp.test.example (192.0.2.10)); nothing was sent to it');
  // every address a name resolves to must be covered, not just the first
  await t.throwsAsync(provider.start(options({ allow: ['192.0.2.0/24'], imap: { host: 'split.supplier.test', port: 143 } })), { instanceOf: InputError, message: /resolves to 203\.0\.113\.10/ });
  await t.throwsAsync(provider.start(options({ allow: ['192.0.2.0/24'], activesync: 'https://mx.supplier.test/Microsoft-Server-ActiveSync' })), { instanceOf: InputError, message: /^--config: activesync https:\/\/mx\.supplier\.test\/.*203\.0\.113\.9/ });
  await t.throwsAsync(provider.start(options({ allow: ['192.0.2.0/24'], extra: { store2: { host: 'nowhere.test', port: 143 } } })), { instanceOf: InputError, message: /extra\.store2 nowhere\.test: nowhere\.test does not resolve \(ENOTFOUND nowhere\.test\)/ });
  await t.throwsAsync(provider.start(options({ allow: ['nowhere.test'], smtp: { host: '192.0.2.1', port: 25 } })), { instanceOf: InputError, message: /allow rule nowhere\.test: nowhere\.test does not resolve/ });
});

test('every HTTP connection resolves through the allow-list: an allowed name reaches the server, one pointing outside is refused', async (t) => {
  const server = createServer((_, res) => res.end('ok')).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  t.teardown(() => server.close());
  const port = (server.address() as AddressInfo).port;
  const names = createRemoteProvider(resolverOf({ 'eas.test.example': ['127.0.0.1'], 'eas.elsewhere.test': ['192.0.2.44'] }));
  const stack = await names.start(options({ allow: ['127.0.0.1'], activesync: `http://eas.test.example:${port}/` }));
  const metrics = new MetricsRegistry({ startedAt: Date.now() });
  const http = createHttpClient({ metrics, lookup: stack.lookup! });
  t.teardown(() => http.close());
  // these names exist only in the test's resolver: a 200 shows the connection used it
  const allowed = await http.request('GET', `http://eas.test.example:${port}/`);
  t.is(allowed.status, 200);
  t.is(allowed.body, 'ok');
  const refused = await http.request('GET', `http://eas.elsewhere.test:${port}/`);
  t.is(refused.status, 0);
  t.regex(refused.body, /eas\.elsewhere\.test resolves to 192\.0\.2\.44, which is not covered by any allow rule/);
  t.is(metrics.query('http.req_failed')?.stat('passes'), 1, 'the refused request counts as a failed one');
});

test('the CLI refuses a remote run with no allow-list, or with its endpoint outside it, before sending (exit 2)', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mailstorm-remote-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const config = path.join(dir, 'stack.yaml');
  await writeFile(config, 'submission: { host: 127.0.0.1, port: 9 }\n');
  const none = await runCli(['run', 'smoke', '--stack', 'remote', '--config', config, '--out', path.join(dir, 'a')], dir);
  t.is(none.code, 2, none.stderr);
  t.regex(none.stderr, /allow: a remote stack needs an allow-list/);
  await writeFile(config, 'allow: [192.0.2.0/24]\nsubmission: { host: 127.0.0.1, port: 9 }\n');
  const outside = await runCli(['run', 'smoke', '--stack', 'remote', '--config', config, '--out', path.join(dir, 'b')], dir);
  t.is(outside.code, 2, outside.stderr);
  const refusal = /submission 127\.0\.0\.1: 127\.0\.0\.1 is not covered by any allow rule \(allow: 192\.0\.2\.0\/24\); nothing was sent to it/;
  t.regex(outside.stdout, refusal);
  const result = JSON.parse(await readFile(path.join(dir, 'b', 'result.json'), 'utf8')) as RunResult;
  t.is(result.verdict, 'error');
  t.regex(result.reason, refusal);
  t.is(result.metrics.find((m) => m.name === 'smtp.send_time'), undefined, 'no submission was attempted');
});
