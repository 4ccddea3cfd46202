// The timeline runner against the embedded fault proxy: changes, events, and every rollback path.
import test from 'ava';
import { InputError, StackError } from '../../engine/errors.ts';
import { at, down, heal, latency, ramp, startChaos, timeout, rollbackOnExit } from '../../chaos/index.ts';
import { EventEmitter } from 'node:events';
import { CLEAN, chaosRig, until } from './helpers.ts';
import { connect } from '../fakes-toxiproxy/helpers.ts';

const timeline = [
  at(0, latency('smtp', { latency: 50, jitter: 10 })),
  down('imap', { at: '1s' }),
  at('2s', timeout('smtp', { timeout: 0 }, { stream: 'upstream', toxicity: 0.5 })),
  heal('imap', { at: '3s' }),
  down('imap', { at: '4s' }),
];

test('plays the timeline, records every change, and a normal-end rollback leaves only what others own', async (t) => {
  await using rig = await chaosRig();
  const seen: string[] = [];
  const run = startChaos(timeline, { toxiproxyUrl: rig.fake.url, proxies: rig.proxies, clock: rig.clock, events: rig.events, signal: new AbortController().signal, onChange: (e) => seen.push(e.action) });
  for (let i = 1; i <= 4; i++) {
    await until(() => run.events.length === i);
    rig.clock.advance(1000);
  }
  await run.done;
  t.deepEqual(run.events.map((e) => [e.t, e.action, e.target, e.toxic]), [
    [0, 'add', 'smtp', 'latency_downstream'], [1000, 'disable', 'imap', undefined], [2000, 'add', 'smtp', 'timeout_upstream'],
    [3000, 'enable', 'imap', undefined], [4000, 'disable', 'imap', undefined],
  ]);
  t.like(run.events[0], { type: 'latency', attributes: { latency: 50, jitter: 10 }, stream: 'downstream', toxicity: 1, step: 0 });
  t.like(run.events[2], { type: 'timeout', attributes: { timeout: 0 }, stream: 'upstream', toxicity: 0.5, step: 2 });
  t.deepEqual(seen, ['add', 'disable', 'add', 'enable', 'disable']);
  t.deepEqual(rig.events.all().map((e) => e.type), Array(5).fill('fault'));
  t.deepEqual(await rig.state(), {
    // Toxiproxy sees mailstorm's prefix; the events keep the timeline's names.
    smtp: { enabled: true, toxics: ['mailstorm-timeout_upstream', 'mailstorm-latency_downstream'] }, imap: { enabled: false, toxics: [] }, other: CLEAN.other,
  });
  await run.rollback();
  t.deepEqual(await rig.state(), CLEAN);
  t.like(run.events.at(-1), { action: 'rollback', target: '*', attributes: { toxicsRemoved: 2, proxiesEnabled: 1 } });
  await run.rollback(); // twice: nothing more to do, nothing more recorded
  t.is(run.events.filter((e) => e.action === 'rollback').length, 1);
  t.deepEqual(await rig.state(), CLEAN);
});

test('after the signal aborts, the timeline stops and rollback cleans up', async (t) => {
  await using rig = await chaosRig();
  const abort = new AbortController();
  const run = startChaos(timeline, { toxiproxyUrl: rig.fake.url, proxies: rig.proxies, clock: rig.clock, events: rig.events, signal: abort.signal });
  await until(() => run.events.length === 1);
  rig.clock.advance(1000);
  await until(() => run.events.length === 2);
  abort.abort();
  await run.done;
  rig.clock.advance(10_000);
  t.is(run.events.length, 2, 'no step after the abort');
  await run.rollback();
  t.deepEqual(await rig.state(), CLEAN);
});

test('rollback called mid-timeline, twice at once, stops it and undoes exactly once', async (t) => {
  await using rig = await chaosRig();
  const run = startChaos(timeline, { toxiproxyUrl: rig.fake.url, proxies: rig.proxies, clock: rig.clock, events: rig.events, signal: new AbortController().signal });
  await until(() => run.events.length === 1);
  rig.clock.advance(1000);
  await until(() => run.events.length === 2);
  await Promise.all([run.rollback(), run.rollback()]);
  await run.done;
  rig.clock.advance(10_000);
  t.deepEqual(await rig.state(), CLEAN);
  t.deepEqual(run.events.slice(2).map((e) => e.action), ['remove', 'enable', 'rollback']);
});

test('a failing step rejects done with a StackError naming the step, after rolling back', async (t) => {
  await using rig = await chaosRig();
  const failing = [
    at(0, latency('smtp', { latency: 10 })),
    down('imap', { at: 0 }),
    // No proxy "nowhere" (proxies: {} leaves names unchecked): the API answers 404.
    at('1s', latency('nowhere', { latency: 10 }, { name: 'lost' })),
  ];
  const run = startChaos(failing, { toxiproxyUrl: rig.fake.url, proxies: {}, clock: rig.clock, events: rig.events, signal: new AbortController().signal });
  await until(() => run.events.length === 2);
  rig.clock.advance(1000);
  await t.throwsAsync(run.done, { instanceOf: StackError, message: /chaos timeline\[2\] \(add lost on proxy "nowhere"\) failed: .*404/ });
  t.deepEqual(await rig.state(), CLEAN);
  await run.rollback();
  t.deepEqual(await rig.state(), CLEAN);
});

test('a ramp updates one toxic in place and a connected client sees the latency rise', async (t) => {
  await using rig = await chaosRig();
  const run = startChaos([ramp('smtp', 'latency', { from: 0, to: 400, over: '2m', every: '1m', stream: 'upstream' })],
    { toxiproxyUrl: rig.fake.url, proxies: rig.proxies, clock: rig.clock, events: rig.events, signal: new AbortController().signal });
  await until(() => run.events.length === 1);
  const client = connect(rig.proxies.smtp!.listen.port, 'a');
  await client.waitFor(1);
  rig.clock.advance(60_000);
  rig.clock.advance(60_000);
  await until(() => run.events.length === 3);
  await run.done;
  t.deepEqual(run.events.map((e) => [e.action, e.toxic, e.attributes?.latency]), [
    ['add', 'latency_upstream', 0], ['update', 'latency_upstream', 200], ['update', 'latency_upstream', 400],
  ]);
  const started = performance.now();
  client.socket.write('b');
  await client.waitFor(2);
  t.true(performance.now() - started >= 395, 'same connection, updated toxic');
  t.deepEqual((await rig.state()).smtp?.toxics, ['mailstorm-latency_upstream'], 'one toxic, updated, not re-added');
  client.socket.destroy();
  await run.rollback();
  t.deepEqual(await rig.state(), CLEAN);
});

test('rollbackOnExit rolls back on SIGTERM, then hands over; removing it detaches', async (t) => {
  await using rig = await chaosRig();
  const run = startChaos([down('smtp', { at: 0 })], { toxiproxyUrl: rig.fake.url, proxies: rig.proxies, clock: rig.clock, events: rig.events, signal: new AbortController().signal });
  await run.done;
  const source = new EventEmitter();
  const finished = new Promise<string>((resolve) => rollbackOnExit(() => run.rollback(), { source: source as never, onDone: (signal, error) => resolve(`${signal}${error ? ' failed' : ''}`) }));
  source.emit('SIGTERM', 'SIGTERM');
  t.is(await finished, 'SIGTERM');
  t.deepEqual(await rig.state(), CLEAN);
  t.is(source.listenerCount('SIGINT'), 0);
  const detach = rollbackOnExit(() => run.rollback(), { source: source as never, onDone: () => t.fail() });
  detach();
  t.is(source.listenerCount('SIGTERM'), 0);
});

test('an unknown proxy is an InputError before anything changes; an aborted signal plays nothing', async (t) => {
  await using rig = await chaosRig();
  const options = { toxiproxyUrl: rig.fake.url, proxies: rig.proxies, clock: rig.clock, events: rig.events, signal: AbortSignal.abort() };
  t.throws(() => startChaos([down('smtp-primary', { at: 0 })], options), { instanceOf: InputError, message: /timeline\[0\]\.proxy: unknown proxy "smtp-primary" \(this stack has: smtp, imap\)/ });
  const run = startChaos(timeline, options);
  await run.done;
  t.deepEqual(run.events, []);
  await run.rollback();
  t.deepEqual(await rig.state(), CLEAN);
});
