import test from 'ava';
import { remoteProvider } from '../../stack/remote/index.ts';
import { parseRemoteConfig } from '../../stack/remote/config.ts';
import { InputError, StackError } from '../../engine/errors.ts';
import { systemClock } from '../../engine/clock.ts';
import { seededRandom } from '../../engine/random.ts';
import { MemoryEventLog } from '../../engine/events.ts';
import type { Ledger } from '../../engine/ledger/types.ts';
import type { StackOptions } from '../../stack/types.ts';

function options(config: Record<string, unknown>): StackOptions {
  return {
    spec: { lockout: { policy: 'ad' } }, clock: systemClock, random: seededRandom(1),
    metrics: { declare() {}, count() {}, rate() {}, gauge() {}, trend() {} }, ledger: {} as Ledger,
    events: new MemoryEventLog(0), logDir: '/tmp', config,
  };
}

test('only the endpoints the config names are offered; any other is a StackError', async (t) => {
  const stack = await remoteProvider.start(options({ submission: { host: 'smtp.test.example', port: 587 } }));
  t.deepEqual(stack.endpoints.submission, { host: 'smtp.test.example', port: 587 });
  t.throws(() => stack.endpoints.smtp, { instanceOf: StackError, message: /names no "smtp" endpoint/ });
  t.throws(() => stack.endpoints.toxiproxy, { instanceOf: StackError });
  t.true(stack.description.notes.some((n) => n.includes('spec.lockout not applied')));
  await stack.stop();
});

test('config errors name the key', (t) => {
  t.throws(() => parseRemoteConfig({ smtp: { host: 'mx', port: 99999 } }), { instanceOf: InputError, message: /smtp\.port/ });
  t.throws(() => parseRemoteConfig({ smtp: { host: 'mx', port: 25 }, imap_host: 'x' }), { instanceOf: InputError, message: /imap_host/ });
  t.throws(() => parseRemoteConfig({ description: 'nothing named' }), { instanceOf: InputError, message: /names no endpoint/ });
});
