// 4. Bytes the MemoryLedger keeps per expected delivery at 1 million, in a fresh process per
// run (heap and typed-array deltas with forced GC), for a list fan-out and for many small messages.
import { runWorker } from '../lib/processes.ts';
import { spread } from '../lib/stats.ts';
import type { Benchmark } from '../lib/types.ts';

interface MemoryResult {
  deliveries: number;
  bytesPerDeliveryExpected: number;
  bytesPerDeliveryArrived: number;
}

export const ledgerMemory: Benchmark = {
  id: 4,
  title: 'ledger memory at 1 M expected deliveries',
  goal: '<= 150 B per delivery',
  async run(ctx) {
    const list: number[] = [];
    const messages: number[] = [];
    for (let i = 0; i < ctx.runs; i++) {
      const a = await runWorker<MemoryResult>('ledger-memory', ['list'], 120_000, ['--expose-gc']);
      const b = await runWorker<MemoryResult>('ledger-memory', ['messages'], 120_000, ['--expose-gc']);
      list.push(a.bytesPerDeliveryArrived);
      messages.push(b.bytesPerDeliveryExpected);
      ctx.log(`  run ${i + 1}: list ${a.bytesPerDeliveryArrived.toFixed(1)} B, 100k x 10 ${b.bytesPerDeliveryExpected.toFixed(1)} B per delivery`);
    }
    const listFigure = { unit: 'B', ...spread(list) };
    const messagesFigure = { unit: 'B', ...spread(messages) };
    return {
      figures: { '1 message x 1 M (all arrived)': listFigure, '100 k messages x 10': messagesFigure },
      met: Math.max(listFigure.median, messagesFigure.median) <= 150,
      notes: ['recipient address strings are allocated before the baseline (the directory holds them); the ledger\'s own index of them is counted'],
    };
  },
};
