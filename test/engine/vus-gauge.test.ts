import test from 'ava';
import { ManualClock } from '../../engine/clock.ts';
import { runExecutors } from '../../engine/executors/index.ts';
import type { ExecutionHandle } from '../../engine/executors/index.ts';
import type { MetricsSink, Tags } from '../../engine/metrics/types.ts';
import { advance, depsFor } from './helpers.ts';

// Every write of the `vus` gauge, with the executors' own count of active VUs at that moment.
test('ramping-vus: the vus gauge is written once a second by the executors, always equal to their active VUs', async (t) => {
  const clock = new ManualClock(0);
  const { deps } = depsFor(clock, { f: async (it) => { await clock.sleep(50, it.signal); } });
  const writes: { at: number; value: number; active: number }[] = [];
  let handle: ExecutionHandle | undefined;
  const real = deps.metrics;
  const spy: MetricsSink = {
    declare: (n, d) => real.declare(n, d),
    count: (n, v, tags) => real.count(n, v, tags),
    rate: (n, ok, tags) => real.rate(n, ok, tags),
    trend: (n, v, tags) => real.trend(n, v, tags),
    gauge: (n: string, v: number, tags?: Tags) => {
      if (n === 'vus') writes.push({ at: clock.now(), value: v, active: handle?.activeVUs() ?? 0 });
      real.gauge(n, v, tags);
    },
  };
  handle = runExecutors({
    s: { executor: 'ramping-vus', exec: 'f', startVUs: 0, stages: [{ target: 4, duration: '4s' }, { target: 0, duration: '2s' }] },
  }, { ...deps, metrics: spy });
  await advance(clock, 7000, 250);
  await handle.done;
  // One write per whole second of the run, plus the final 0 when the executors finish.
  const seconds = writes.slice(0, -1).map((w) => w.at);
  t.deepEqual(seconds, [...new Set(seconds)]);
  t.is(seconds[0], 0);
  for (let i = 1; i < seconds.length; i++) t.is(seconds[i]! - seconds[i - 1]!, 1000);
  for (const w of writes.slice(0, -1)) t.is(w.value, w.active, `vus at ${w.at} ms`);
  t.is(writes.at(-1)!.value, 0);
  t.true(Math.max(...writes.map((w) => w.value)) >= 3, 'the ramp reached at least 3 VUs');
});
