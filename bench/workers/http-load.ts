// Worker: mailstorm's HTTP client GETs `url` in a closed loop for `seconds`, as `vus` VUs of
// a constant-vus scenario through runExecutors and the run's MetricsRegistry (mode "engine",
// what a scenario's flow does), or as `vus` bare loops around the client (mode "client").
// After an untimed warm-up with the same load (JIT), prints requests/s, latency
// min/p50/p99/max from http.req_duration and the CPU this process used (with the kernel's
// share of it: system calls, mostly socket writes and reads).
import { systemClock } from '../../engine/clock.ts';
import { createHttpClient } from '../../engine/clients/http-client.ts';
import { runExecutors } from '../../engine/executors/index.ts';
import { MetricsRegistry } from '../../engine/metrics/registry.ts';

const [mode, url, vusArg, secondsArg] = process.argv.slice(2) as [string, string, string, string];
const vus = Number(vusArg);
const seconds = Number(secondsArg);
if (mode !== 'engine' && mode !== 'client') throw new Error(`mode must be engine or client, got ${mode}`);

async function load(durationSeconds: number): Promise<{ metrics: MetricsRegistry; ms: number; cpuMs: number; systemMs: number }> {
  const metrics = new MetricsRegistry({ startedAt: Date.now() });
  const http = createHttpClient({ metrics, connections: vus });
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  if (mode === 'engine') {
    const handle = runExecutors(
      { load: { executor: 'constant-vus', vus, duration: `${durationSeconds}s` } },
      {
        flows: {
          load: async () => {
            await http.request('GET', url);
          },
        },
        clock: systemClock,
        metrics,
        signal: new AbortController().signal,
        onIterationError() {},
      },
    );
    await handle.done;
  } else {
    const until = started + durationSeconds * 1000;
    await Promise.all(
      Array.from({ length: vus }, async () => {
        while (performance.now() < until) await http.request('GET', url);
      }),
    );
  }
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  await http.close();
  return { metrics, ms, cpuMs: (cpu.user + cpu.system) / 1000, systemMs: cpu.system / 1000 };
}

// Warm-up by work done, not by time: on a machine busy with other work a second may give
// too little CPU for V8 to optimise the hot path, and a run in unoptimised code measured a
// third of the rate. 20,000 requests, in one-second rounds, at most 10 s.
const warmUpEnds = performance.now() + 10_000;
for (let done = 0; done < 20_000 && performance.now() < warmUpEnds; ) {
  done += (await load(1)).metrics.query('http.codes')?.stat('count') ?? 0;
}
const { metrics, ms, cpuMs, systemMs } = await load(seconds);
const ok = metrics.query('http.codes', { code: '200' })?.stat('count') ?? 0;
const all = metrics.query('http.codes')?.stat('count') ?? 0;
const duration = metrics.query('http.req_duration');
console.log(JSON.stringify({
  mode,
  vus,
  requests: ok,
  failed: all - ok,
  ms,
  rate: ok / (ms / 1000),
  minMs: duration?.stat('min') ?? NaN,
  p50Ms: duration?.stat('med') ?? NaN,
  p99Ms: duration?.stat('p(99)') ?? NaN,
  maxMs: duration?.stat('max') ?? NaN,
  cores: cpuMs / ms,
  kernelShare: systemMs / cpuMs,
}));
