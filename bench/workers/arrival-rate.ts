// Worker: runExecutors with constant-arrival-rate `rate`/s for `seconds` and a no-op flow.
// The flow stamps its own start; the lag is that stamp minus when the schedule had it due
// (iteration n is due n/rate seconds after the executor started, k6's constant schedule).
import { systemClock } from '../../engine/clock.ts';
import { runExecutors } from '../../engine/executors/index.ts';
import type { MetricsSink } from '../../engine/metrics/types.ts';
import { linuxRunQueueWaitNs } from '../../engine/run-queue-wait.ts';
import { percentile } from '../lib/stats.ts';

const [rate, seconds] = process.argv.slice(2).map(Number) as [number, number];
const planned = rate * seconds;
const lags = new Float64Array(planned + 1000);
let started = 0;
let dropped = 0;
const metrics: MetricsSink = {
  count(name, value = 1) {
    if (name === 'dropped_iterations') dropped += value;
  },
  declare() {},
  rate() {},
  gauge() {},
  trend() {},
};
const interval = 1000 / rate;
// What else the lag is made of: the CPU this process used, and how long it was runnable but
// waited for a CPU (other work on the machine), over the run.
const cpuBefore = process.cpuUsage();
const waitBefore = linuxRunQueueWaitNs();
const t0 = performance.now();
const handle = runExecutors(
  { load: { executor: 'constant-arrival-rate', rate, timeUnit: '1s', duration: `${seconds}s`, preAllocatedVUs: 100, maxVUs: 1000 } },
  {
    flows: {
      load: async (it) => {
        if (started < lags.length) lags[started] = performance.now() - t0 - it.iteration * interval;
        started++;
      },
    },
    clock: systemClock,
    metrics,
    signal: new AbortController().signal,
    onIterationError() {},
  },
);
await handle.done;
const cpu = process.cpuUsage(cpuBefore);
const waitAfter = linuxRunQueueWaitNs();
const samples = lags.subarray(0, Math.min(started, lags.length));
console.log(JSON.stringify({
  planned,
  started,
  dropped,
  ms: performance.now() - t0,
  p50: percentile(samples, 50),
  p99: percentile(samples, 99),
  max: percentile(samples, 100),
  cpuSeconds: (cpu.user + cpu.system) / 1e6,
  ...(waitBefore !== undefined && waitAfter !== undefined && { runQueueWaitMs: (waitAfter - waitBefore) / 1e6 }),
}));
