// Worker (run with --expose-gc): bytes the MemoryLedger holds per expected delivery at
// 1 million deliveries, from heap + array-buffer deltas around expect() and arrived().
// The recipient addresses exist before the baseline: a directory holds them anyway.
// Shapes: "list" = one message to 1 M recipients; "messages" = 100 k messages x 10 recipients.
import { MemoryLedger } from '../../engine/ledger/memory-ledger.ts';
import type { MetricsSink } from '../../engine/metrics/types.ts';
import { listMembers } from './bench-directory.ts';

const gc = global.gc;
if (!gc) throw new Error('run with --expose-gc');
const shape = process.argv[2] === 'messages' ? 'messages' : 'list';
const DELIVERIES = 1_000_000;
const noMetrics: MetricsSink = { declare() {}, count() {}, rate() {}, gauge() {}, trend() {} };
const clock = { now: () => 0, sleep: () => Promise.resolve() };

// Flat, independent strings (copied through a Buffer): template-literal strings are cons
// strings, and JSON.parse makes slices of its input; the ledger flattening or copying them
// would free memory after the baseline and hide part of its own cost.
const population = listMembers(DELIVERIES).map((a) => Buffer.from(a, 'latin1').toString('latin1'));
const used = (): number => {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
const before = used();
const ledger = new MemoryLedger({ metrics: noMetrics, clock });
if (shape === 'list') ledger.expect({ id: 'list-1', flow: 'storm', recipients: population, acceptedAt: 0 });
else {
  for (let m = 0; m < DELIVERIES / 10; m++) {
    const recipients = new Array<string>(10);
    for (let r = 0; r < 10; r++) recipients[r] = population[(m * 10 + r * 7919) % DELIVERIES] as string;
    ledger.expect({ id: `msg-${m}`, flow: 'background', recipients, acceptedAt: 0 });
  }
}
const afterExpect = used();
if (shape === 'list') for (const recipient of population) ledger.arrived({ id: 'list-1', recipient, at: 1 });
const afterArrivals = used();
const summary = ledger.reconcile({ final: false, now: 1 });
console.log(JSON.stringify({
  shape,
  deliveries: summary.expected,
  delivered: summary.delivered,
  bytesPerDeliveryExpected: (afterExpect - before) / DELIVERIES,
  bytesPerDeliveryArrived: (afterArrivals - before) / DELIVERIES,
}));
