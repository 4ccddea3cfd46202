// 3. One message to a 1.2 million member list: the embedded MTA expands it and delivers to
// the ledger sink in process; the MemoryLedger records every delivery. Each run in a fresh process.
import { runWorker } from '../lib/processes.ts';
import { spread } from '../lib/stats.ts';
import type { Benchmark } from '../lib/types.ts';

interface FanoutResult {
  members: number;
  delivered: number;
  lost: number;
  duplicated: number;
  ms: number;
  rate: number;
  peakRssMiB: number;
  heapGrowthMiB: number;
}

export const listFanout: Benchmark = {
  id: 3,
  title: 'list fan-out with accounting (1.2 M members)',
  goal: 'all 1.2 M delivered and accounted in < 60 s',
  async run(ctx) {
    const members = ctx.quick ? 200_000 : 1_200_000;
    const runs: FanoutResult[] = [];
    for (let i = 0; i < ctx.runs; i++) {
      const r = await runWorker<FanoutResult>('fanout', [String(members)], 360_000, ['--max-old-space-size=8192', '--expose-gc']);
      if (r.delivered !== members || r.lost > 0 || r.duplicated > 0) throw new Error(`accounting wrong: ${JSON.stringify(r)}`);
      runs.push(r);
      ctx.log(`  run ${i + 1}: ${members} deliveries in ${(r.ms / 1000).toFixed(1)} s, ${Math.round(r.rate)}/s, peak RSS ${Math.round(r.peakRssMiB)} MiB`);
    }
    const wall = { unit: 's', ...spread(runs.map((r) => r.ms / 1000)) };
    // Quick runs use a smaller list: the goal is judged on the time projected to 1.2 M.
    const projected = { unit: 's', ...spread(runs.map((r) => (r.ms / 1000) * (1_200_000 / members))) };
    return {
      figures: {
        [`wall time (${members.toLocaleString('en-GB')})`]: wall,
        'deliveries/s': { unit: '/s', ...spread(runs.map((r) => r.rate)) },
        'peak RSS': { unit: 'MiB', ...spread(runs.map((r) => r.peakRssMiB)) },
        'heap growth': { unit: 'MiB', ...spread(runs.map((r) => r.heapGrowthMiB)) },
        ...(members !== 1_200_000 && { 'projected to 1.2 M': projected }),
      },
      met: projected.median < 60,
      notes: ['wall time from the send to the last delivery accounted; memory includes the 1.2 M member strings of the directory'],
    };
  },
};
