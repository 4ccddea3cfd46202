// 8. mailstorm's HTTP client vs wrk, both GETting from one local nginx (`return 200`) with
// 50 connections in a closed loop for the same time, alternating run by run: the client as a
// scenario drives it (constant-vus, 50 VUs, through runExecutors and the run's metrics) and
// bare (50 loops around the client), wrk -t1 -c50. nginx's CPU is read over each side's run:
// a server that is itself at its limit would cap both and hide the difference.
import { startNginx, wrkRun, type WrkResult } from '../lib/http-peers.ts';
import { runWorker } from '../lib/processes.ts';
import { spread } from '../lib/stats.ts';
import type { BenchOutcome, Benchmark, Figure } from '../lib/types.ts';

interface LoadResult {
  requests: number;
  failed: number;
  ms: number;
  rate: number;
  minMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  cores: number;
  kernelShare: number;
}

export const HTTP_CONNECTIONS = 50;

type Latency = Pick<LoadResult, 'minMs' | 'p50Ms' | 'p99Ms' | 'rate' | 'cores' | 'kernelShare'>;

function perCpu(r: { rate: number; cores: number }): number {
  return r.cores > 0 ? r.rate / r.cores : NaN;
}

/** One side's figures, each named after the side (`short`) so the three sides stay apart. */
function figures(label: string, short: string, runs: readonly Latency[], nginxCores: readonly number[]): Record<string, Figure> {
  return {
    [label]: { unit: 'req/s', ...spread(runs.map((r) => r.rate)) },
    [`${short}: latency min`]: { unit: 'ms', ...spread(runs.map((r) => r.minMs)) },
    [`${short}: latency p50`]: { unit: 'ms', ...spread(runs.map((r) => r.p50Ms)) },
    [`${short}: latency p99`]: { unit: 'ms', ...spread(runs.map((r) => r.p99Ms)) },
    [`${short}: CPU used, cores`]: { unit: '', ...spread(runs.map((r) => r.cores)) },
    [`${short}: CPU per request`]: { unit: 'µs', ...spread(runs.map((r) => 1e6 / perCpu(r))) },
    [`${short}: of it in the kernel`]: { unit: '%', ...spread(runs.map((r) => r.kernelShare * 100)) },
    [`${short}: nginx CPU meanwhile, cores`]: { unit: '', ...spread([...nginxCores]) },
  };
}

export const httpLoad: Benchmark = {
  id: 8,
  title: `HTTP GET, ${HTTP_CONNECTIONS} connections closed loop, into nginx`,
  goal: `>= 0.25x wrk -t1 -c${HTTP_CONNECTIONS}`,
  async run(ctx): Promise<BenchOutcome> {
    if (!ctx.peers.nginx || !ctx.peers.wrk) return { figures: {}, met: null, skipped: 'nginx-light or wrk is not installed' };
    const seconds = ctx.quick ? 3 : 5;
    const nginx = await startNginx(ctx.peers.nginx);
    const wrk: WrkResult[] = [];
    const engine: LoadResult[] = [];
    const bare: LoadResult[] = [];
    const nginxCores = { wrk: [] as number[], engine: [] as number[], bare: [] as number[] };
    // nginx's CPU per wall second over one side's run.
    const measured = async <T>(into: number[], work: () => Promise<T>): Promise<T> => {
      const cpu = nginx.cpuSeconds();
      const started = performance.now();
      const result = await work();
      into.push((nginx.cpuSeconds() - cpu) / ((performance.now() - started) / 1000));
      return result;
    };
    const ours = async (mode: 'engine' | 'client') => {
      const r = await runWorker<LoadResult>('http-load', [mode, nginx.url, String(HTTP_CONNECTIONS), String(seconds)], (seconds + 90) * 1000);
      if (r.failed > 0 || r.requests === 0) throw new Error(`mailstorm (${mode}): ${r.failed} of ${r.requests + r.failed} requests failed`);
      return r;
    };
    try {
      for (let i = 0; i < ctx.runs; i++) {
        const peer = await measured(nginxCores.wrk, () => wrkRun(ctx.peers.wrk as string, nginx.url, HTTP_CONNECTIONS, seconds));
        if (peer.errors > 0) throw new Error(`wrk: ${peer.errors} of ${peer.requests} requests failed`);
        wrk.push(peer);
        engine.push(await measured(nginxCores.engine, () => ours('engine')));
        bare.push(await measured(nginxCores.bare, () => ours('client')));
        ctx.log(`  run ${i + 1}: mailstorm ${Math.round(engine.at(-1)!.rate)}/s (client alone ${Math.round(bare.at(-1)!.rate)}/s), wrk ${Math.round(peer.rate)}/s`);
      }
    } finally {
      await nginx.stop();
    }
    const ratio = { unit: 'x', ...spread(engine.map((r, i) => r.rate / wrk[i]!.rate)) };
    return {
      figures: {
        ...figures(`mailstorm, constant-vus ${HTTP_CONNECTIONS} VUs`, 'mailstorm', engine, nginxCores.engine),
        ...figures(`mailstorm client alone, ${HTTP_CONNECTIONS} loops`, 'client alone', bare, nginxCores.bare),
        ...figures(`wrk -t1 -c${HTTP_CONNECTIONS}`, 'wrk', wrk, nginxCores.wrk),
        'client alone vs wrk': { unit: 'x', ...spread(bare.map((r, i) => r.rate / wrk[i]!.rate)) },
        // Requests per CPU-second: what each side would reach with a core of its own, so a
        // machine busy with other work (wrk starved of CPU) does not flatter the ratio.
        'per CPU-second, mailstorm vs wrk': { unit: 'x', ...spread(engine.map((r, i) => perCpu(r) / perCpu(wrk[i]!))) },
        'per CPU-second, client alone vs wrk': { unit: 'x', ...spread(bare.map((r, i) => perCpu(r) / perCpu(wrk[i]!))) },
      },
      ratio,
      met: ratio.median >= 0.25,
      notes: [
        `${seconds} s a side a run; mailstorm after an untimed warm-up of the same load in the same process (20,000 requests or 10 s, for the JIT), wrk -t1 -c${HTTP_CONNECTIONS} -d${seconds}s from cold`,
        'mailstorm: engine/clients/http-client.ts (undici Agent, keep-alive, one connection per VU), latency from its http.req_duration HDR histogram; wrk: latency from its own histogram (done() hook)',
        'nginx: one worker process, return 200, access_log off, keepalive_requests 100000000 (no reconnects in a run)',
        'the goal is judged on the throughput ratio; where other work starves wrk and nginx (their CPU above well under a core each) that ratio reads high, and the ratio per CPU-second is what a quiet machine, a core a side, would show',
      ],
    };
  },
};
