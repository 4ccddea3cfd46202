import test from 'ava';
import { InputError } from '../../engine/errors.ts';
import { at, down, heal, latency, leak, partition, ramp, remove, timeout, validateTimeline } from '../../chaos/index.ts';
import type { Timeline } from '../../chaos/index.ts';

test('a timeline built with the helpers compiles into time-ordered actions', (t) => {
  const actions = validateTimeline([
    down('smtp-primary', { at: '45m' }),
    at('10m', latency('imap', { latency: 800, jitter: 200 })),
    ramp('smtp', 'latency', { from: 0, to: 3000, over: '30m', every: '10m', start: '5m' }),
    heal('smtp-primary', { at: '50m' }),
    at('20m', timeout('imap', { timeout: 0 }), { for: '1m' }),
    at('30m', remove('imap', 'latency_downstream')),
  ]);
  t.deepEqual(actions.map((a) => [a.atMs / 60_000, a.op, a.proxy]), [
    [5, 'add', 'smtp'], [10, 'add', 'imap'], [15, 'update', 'smtp'], [20, 'add', 'imap'], [21, 'remove', 'imap'],
    [25, 'update', 'smtp'], [30, 'remove', 'imap'], [35, 'update', 'smtp'], [45, 'disable', 'smtp-primary'], [50, 'enable', 'smtp-primary'],
  ]);
  t.deepEqual(actions.filter((a) => a.proxy === 'smtp' && a.op === 'update').map((a) => a.attributes), [{ latency: 1000 }, { latency: 2000 }, { latency: 3000 }]);
  t.deepEqual(actions[1]?.toxic, { proxy: 'imap', name: 'latency_downstream', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 800, jitter: 200 } });
});

test('a bandwidth ramp goes from a high rate to a low one', (t) => {
  const actions = validateTimeline([ramp('smtp', 'bandwidth', { from: 1000, to: 100, over: '3s', every: '1s' })]);
  t.deepEqual(actions.map((a) => a.toxic?.attributes.rate ?? a.attributes?.rate), [1000, 700, 400, 100]);
});

const bad: [string, unknown[], RegExp][] = [
  ['unknown step field', [{ ...down('smtp', { at: '1m' }), when: 3 }], /timeline\[0\]\.when: unknown field \(allowed: kind, at, proxy\)/],
  ['unknown kind', [{ kind: 'explode', at: 0 }], /timeline\[0\]\.kind: "explode" is not a step kind \(allowed: add, update/],
  ['unknown attribute', [at(0, { type: 'latency', proxy: 'smtp', attributes: { latency: 1, latncy: 2 } })], /timeline\[0\]\.toxic\.attributes\.latncy: unknown latency attribute \(allowed: latency, jitter\)/],
  ['missing attribute', [at(0, { type: 'timeout', proxy: 'smtp', attributes: {} })], /toxic\.attributes\.timeout: required/],
  ['negative value', [at(0, latency('smtp', { latency: -5 }))], /attributes\.latency: must be at least 0, got -5/],
  ['bad toxicity', [at(0, latency('smtp', { latency: 5 }, { toxicity: 1.5 }))], /toxicity: must be between 0 and 1/],
  ['bad duration', [down('smtp', { at: 'soon' })], /timeline\[0\]\.at: "soon" is not a duration/],
  ['bad type', [at(0, { type: 'fire' as never, proxy: 'smtp', attributes: {} })], /toxic\.type: "fire" is not a toxic type \(allowed: latency, bandwidth/],
  ['bad stream', [at(0, latency('smtp', { latency: 1 }, { stream: 'sideways' as never }))], /stream: "sideways" is not a stream \(allowed: upstream, downstream\)/],
  ['remove of a toxic not added', [at('1m', remove('smtp', 'latency_downstream'))], /timeline\[0\]\.toxic: "latency_downstream" is not a toxic an earlier step adds/],
  ['duplicate toxic name', [at(0, latency('smtp', { latency: 1 })), at('1m', latency('smtp', { latency: 2 }))], /timeline\[1\]\.toxic\.name: toxic "latency_downstream" is already added/],
  ['bandwidth ramp to zero', [ramp('smtp', 'bandwidth', { from: 100, to: 0, over: '1m', every: '1s' })], /timeline\[0\]\.to: must be at least 1/],
  ['ramp of another type', [{ ...ramp('smtp', 'latency', { from: 0, to: 1, over: '1m', every: '1s' }), type: 'timeout' }], /type: "timeout" cannot be ramped/],
  ['too fine a ramp', [ramp('smtp', 'latency', { from: 0, to: 1, over: '10h', every: '1ms' })], /too many/],
  ['not an object', [42], /timeline\[0\]: expected an object/],
];

for (const [what, timeline, message] of bad) {
  test(`rejects ${what} with an InputError naming step and field`, (t) => {
    t.throws(() => validateTimeline(timeline as Timeline), { instanceOf: InputError, message });
  });
}

test('unknown proxies are rejected when the stack\'s proxy names are given', (t) => {
  const timeline = [down('smtp-primary', { at: '1m' })];
  t.notThrows(() => validateTimeline(timeline));
  t.throws(() => validateTimeline(timeline, ['smtp', 'imap']), { instanceOf: InputError, message: 'chaos timeline[0].proxy: unknown proxy "smtp-primary" (this stack has: smtp, imap)' });
});

test('presets: leak ramps latency up and bandwidth down with occasional stalls; partition downs and heals', (t) => {
  const steps = leak('smtp', { over: '30m', every: '1m', timeouts: { every: '10m', toxicity: 0.2, hold: '20s' } });
  const actions = validateTimeline(steps, ['smtp']);
  const latencyValues = actions.filter((a) => a.toxic?.name === 'leak_latency' || a.toxicName === 'leak_latency').map((a) => a.toxic?.attributes.latency ?? a.attributes?.latency);
  t.is(latencyValues[0], 0);
  t.is(latencyValues.at(-1), 3000);
  t.true(latencyValues.every((v, i) => i === 0 || (v as number) >= (latencyValues[i - 1] as number)));
  const rates = actions.filter((a) => a.toxic?.name === 'leak_bandwidth' || a.toxicName === 'leak_bandwidth').map((a) => a.toxic?.attributes.rate ?? a.attributes?.rate);
  t.true((rates[0] as number) > (rates.at(-1) as number));
  t.is(actions.filter((a) => a.op === 'add' && a.toxic?.type === 'timeout').length, 3);
  t.deepEqual(validateTimeline(partition(['smtp', 'imap'], { at: '5m', for: '2m' })).map((a) => [a.op, a.proxy, a.atMs]),
    [['disable', 'smtp', 300_000], ['disable', 'imap', 300_000], ['enable', 'smtp', 420_000], ['enable', 'imap', 420_000]]);
});

test('latency and timeout of 2^31 ms or more are refused (Node would run such a timer after 1 ms)', (t) => {
  const add = (type: string, attributes: Record<string, number>) => [{ kind: 'add', at: 0, toxic: { proxy: 'smtp', type, attributes } }] as unknown as Timeline;
  t.notThrows(() => validateTimeline(add('latency', { latency: 2 ** 31 - 1 })));
  t.throws(() => validateTimeline(add('latency', { latency: 2 ** 31 })), { instanceOf: InputError, message: /timeline\[0\]\.toxic\.attributes\.latency: 2147483648 ms is too long \(must be below 2147483648 ms/ });
  t.throws(() => validateTimeline(add('latency', { latency: 2 ** 30, jitter: 2 ** 30 })), { instanceOf: InputError, message: /latency \+ jitter: 2147483648 ms is too long/ });
  t.throws(() => validateTimeline(add('timeout', { timeout: 2 ** 31 })), { instanceOf: InputError, message: /attributes\.timeout: 2147483648 ms is too long/ });
  t.throws(() => validateTimeline(add('reset_peer', { timeout: 2 ** 32 })), { instanceOf: InputError, message: /attributes\.timeout: 4294967296 ms is too long/ });
  t.throws(() => validateTimeline(add('slow_close', { delay: 2 ** 31 })), { instanceOf: InputError, message: /attributes\.delay/ });
  t.throws(() => validateTimeline(add('slicer', { average_size: 10, delay: 2 ** 31 * 1000 })), { instanceOf: InputError, message: /attributes\.delay: 2147483648000 µs is too long/ });
  t.notThrows(() => validateTimeline(add('slicer', { average_size: 10, delay: 2 ** 31 * 1000 - 1 })));
  const rampTo = [{ kind: 'ramp', proxy: 'smtp', type: 'latency', from: 0, to: 2 ** 31, over: '1m', every: '10s' }] as unknown as Timeline;
  t.throws(() => validateTimeline(rampTo), { instanceOf: InputError, message: /timeline\[0\]\.to: 2147483648 ms is too long/ });
});
