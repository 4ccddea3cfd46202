// 5. How exactly constant-arrival-rate keeps its schedule: 5,000 iterations/s of a no-op flow
// for 30 s, started vs planned and p99 start lag, each run in a fresh process.
import { runWorker } from '../lib/processes.ts';
import { spread } from '../lib/stats.ts';
import type { Benchmark } from '../lib/types.ts';

interface RateResult {
  planned: number;
  started: number;
  dropped: number;
  p50: number;
  p99: number;
  max: number;
}

export const arrivalRate: Benchmark = {
  id: 5,
  title: 'arrival-rate accuracy (constant-arrival-rate 5,000/s, no-op flow)',
  goal: 'started within 1% of planned, p99 start lag < 2 ms',
  async run(ctx) {
    const seconds = ctx.quick ? 10 : 30;
    const results: RateResult[] = [];
    for (let i = 0; i < ctx.runs; i++) {
      const r = await runWorker<RateResult>('arrival-rate', ['5000', String(seconds)], (seconds + 60) * 1000);
      results.push(r);
      ctx.log(`  run ${i + 1}: started ${r.started}/${r.planned}, dropped ${r.dropped}, lag p50 ${r.p50.toFixed(2)} ms p99 ${r.p99.toFixed(2)} ms max ${r.max.toFixed(1)} ms`);
    }
    const deviation = { unit: '%', ...spread(results.map((r) => (Math.abs(r.started - r.planned) / r.planned) * 100)) };
    const p99 = { unit: 'ms', ...spread(results.map((r) => r.p99)) };
    return {
      figures: {
        [`started (planned ${(results[0]?.planned ?? 0).toLocaleString('en-GB')})`]: { unit: '', ...spread(results.map((r) => r.started)) },
        'started vs planned, deviation': deviation,
        'start lag p50': { unit: 'ms', ...spread(results.map((r) => r.p50)) },
        'start lag p99': p99,
        'start lag max': { unit: 'ms', ...spread(results.map((r) => r.max)) },
        dropped: { unit: '', ...spread(results.map((r) => r.dropped)) },
      },
      met: deviation.median <= 1 && p99.median < 2,
      notes: ['lag = the flow\'s own start stamp minus iteration * (1000 / rate) ms after runExecutors was called (the IterationContext carries no scheduled time)'],
    };
  },
};
