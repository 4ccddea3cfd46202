// 9. The multi-core engine: constant-arrival-rate 50,000/s of a no-op flow split across
// `--workers` threads (one per core) by execution segments, through the run the CLI uses
// (metrics merged on the main thread). Started vs planned, schedule lag, cores used and each
// worker's CPU share, each run in a fresh process.
import { availableParallelism } from 'node:os';
import { runWorker } from '../lib/processes.ts';
import { spread } from '../lib/stats.ts';
import type { Benchmark } from '../lib/types.ts';

interface WorkerFigures {
  segment: string;
  cpu: number;
  iterations: number;
  eventLoopDelayP99Ms: number;
}

interface MultiCoreResult {
  planned: number;
  started: number;
  dropped: number;
  cores: number;
  lagP99: number;
  workers: WorkerFigures[];
}

const RATE = 50_000;

export const multiCoreRate: Benchmark = {
  id: 9,
  title: `multi-core arrival rate (constant-arrival-rate ${RATE.toLocaleString('en-GB')}/s across --workers, no-op flow)`,
  goal: 'started within 1% of planned, schedule lag p99 < 1 s (sustained, not caught up afterwards)',
  async run(ctx) {
    const seconds = ctx.quick ? 10 : 30;
    const workers = availableParallelism();
    const results: MultiCoreResult[] = [];
    for (let i = 0; i < ctx.runs; i++) {
      const r = await runWorker<MultiCoreResult>('multi-core-rate', [String(RATE), String(seconds), String(workers)], (seconds * 10 + 120) * 1000);
      results.push(r);
      const perWorker = r.workers.map((w) => `${w.segment} CPU ${w.cpu} (${w.iterations})`).join(', ');
      ctx.log(`  run ${i + 1}: started ${r.started}/${r.planned}, dropped ${r.dropped}, lag p99 ${r.lagP99.toFixed(1)} ms, cores used ${r.cores}; ${perWorker}`);
    }
    const deviation = { unit: '%', ...spread(results.map((r) => (Math.abs(r.started - r.planned) / r.planned) * 100)) };
    const lag = { unit: 'ms', ...spread(results.map((r) => r.lagP99)) };
    const figures: Record<string, { unit: string } & ReturnType<typeof spread>> = {
      [`started (planned ${(results[0]?.planned ?? 0).toLocaleString('en-GB')})`]: { unit: '', ...spread(results.map((r) => r.started)) },
      'started vs planned, deviation': deviation,
      'schedule lag p99': lag,
      dropped: { unit: '', ...spread(results.map((r) => r.dropped)) },
      'cores used (process CPU per wall second)': { unit: 'cores', ...spread(results.map((r) => r.cores)) },
    };
    for (let w = 0; w < workers; w++) {
      const segment = results[0]?.workers[w]?.segment ?? String(w);
      figures[`worker ${segment} CPU share`] = { unit: 'of a core', ...spread(results.map((r) => r.workers[w]?.cpu ?? 0)) };
    }
    return {
      figures,
      met: deviation.median <= 1 && lag.median < 1000,
      notes: [`${workers} worker threads (one per core); cores used counts every thread of the process, the main thread's merging included`],
    };
  },
};
