// End to end on a compressed timeline: a leak ramps latency on a live proxy, a client measures
// round trips through it, the detector raises the alarm, and only later the proxy goes down.
import test from 'ava';
import { down, ramp, startChaos, validateTimeline } from '../../chaos/index.ts';
import { DegradationDetector } from '../../chaos/degradation-detector.ts';
import { chaosRig, CLEAN, until } from './helpers.ts';
import { connect } from '../fakes-toxiproxy/helpers.ts';

const MINUTE = 60_000;

test('a latency leak is detected before the hard failure it leads to', async (t) => {
  await using rig = await chaosRig();
  const timeline = [
    ramp('smtp', 'latency', { from: 0, to: 200, over: '20m', every: '1m', start: '10m', stream: 'upstream' }),
    down('smtp', { at: '35m' }),
  ];
  const actions = validateTimeline(timeline);
  const run = startChaos(timeline, { toxiproxyUrl: rig.fake.url, proxies: rig.proxies, clock: rig.clock, events: rig.events, signal: new AbortController().signal });
  const detector = new DegradationDetector({ series: 'round_trip', windowSec: 5, warmupSec: 5, baselineSec: 10, confirmSec: 2, events: rig.events });
  let failedAt: number | undefined;
  for (let minute = 0; minute <= 40 && failedAt === undefined; minute++) {
    if (minute > 0) rig.clock.advance(MINUTE);
    const due = actions.filter((a) => a.atMs <= minute * MINUTE).length;
    await until(() => run.events.length >= due);
    // One sample per simulated minute: a fresh connection's echo round trip.
    const c = connect(rig.proxies.smtp!.listen.port, 'ping');
    const started = performance.now();
    const got = await Promise.race([c.waitFor(4, 3000), c.closed.then((r) => r.data)]);
    if (got.length < 4) failedAt = minute;
    else detector.observe(minute, performance.now() - started);
    c.socket.destroy();
  }
  await run.done;
  t.is(failedAt, 35, 'the proxy went down at 35 minutes');
  const detection = detector.detection;
  t.truthy(detection, 'degradation detected');
  t.true(detection!.tSec > 10 && detection!.tSec < 35, `detected at minute ${detection?.tSec}`);
  const types = rig.events.all().map((e) => e.type);
  t.true(types.indexOf('degradation_detected') < types.lastIndexOf('fault'), 'the alarm precedes the failure in the run\'s events');
  await run.rollback();
  t.deepEqual(await rig.state(), CLEAN);
});
