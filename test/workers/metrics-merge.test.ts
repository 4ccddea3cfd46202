// Metrics recorded in N worker threads and merged on the main thread equal the metrics of one
// thread that recorded every sample itself: HDR histograms merged (not percentiles averaged),
// counters and rate numerators/denominators summed, per-second points kept in their second.
import test from 'ava';
import { MetricsRegistry } from '../../engine/metrics/registry.ts';
import { BatchingSink, type WireRecord } from '../../engine/metrics/wire.ts';
import { seededRandom } from '../../engine/random.ts';

const STATS = ['count', 'avg', 'min', 'max', 'med', 'p(50)', 'p(90)', 'p(95)', 'p(99)', 'p(99.9)'];

interface Sample { second: number; latency: number; ok: boolean; bytes: number }

function samples(n: number): Sample[] {
  const random = seededRandom(11);
  // Several orders of magnitude (50 µs to minutes), so bucket sizes differ across the range.
  return Array.from({ length: n }, (_, i) => ({
    second: Math.floor(i / (n / 6)), latency: random.logNormal(20, 2.2) + 0.05, ok: random.next() > 0.07, bytes: random.int(100, 5000),
  }));
}

function record(sink: { trend: BatchingSink['trend']; rate: BatchingSink['rate']; count: BatchingSink['count'] }, s: Sample): void {
  sink.trend('smtp.send_time', s.latency, { flow: 'mail' });
  sink.rate('smtp.success', s.ok, { flow: 'mail' });
  sink.count('bytes', s.bytes, { flow: 'mail' });
}

test('N workers\' batches merged on the main thread equal one registry fed every sample', (t) => {
  const all = samples(6000);
  let second = 0;
  const single = new MetricsRegistry({ startedAt: 0, now: () => second * 1000 + 500 });
  for (const s of all) {
    second = s.second;
    record(single, s);
  }
  for (const n of [2, 3, 7]) {
    const merged = new MetricsRegistry({ startedAt: 0, now: () => 6000 });
    let workerSecond = 0;
    const sinks = Array.from({ length: n }, () => new BatchingSink(() => workerSecond));
    const batches: WireRecord[] = [];
    // Sample i goes to worker i mod n; each worker drains twice a simulated second, as every
    // BATCH_MS (a batch more than a second late would join the older open second).
    all.forEach((s, i) => {
      workerSecond = s.second;
      record(sinks[i % n]!, s);
      if (i % 499 === 0) for (const sink of sinks) batches.push(...sink.drain().records);
    });
    for (const sink of sinks) batches.push(...sink.drain().records);
    // What postMessage does to a batch: a structured clone.
    for (const r of structuredClone(batches)) merged.absorb(r);

    const one = single.query('smtp.send_time')!;
    const many = merged.query('smtp.send_time')!;
    t.is(many.samples, all.length, `${n} workers: every sample arrived`);
    for (const stat of STATS) {
      const a = one.stat(stat)!;
      const b = many.stat(stat)!;
      t.true(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a)), `${n} workers: ${stat} ${b} = ${a}`);
    }
    t.is(merged.query('smtp.success')!.stat('fails'), single.query('smtp.success')!.stat('fails'));
    t.is(merged.query('smtp.success')!.stat('passes'), single.query('smtp.success')!.stat('passes'));
    t.is(merged.query('bytes')!.stat('count'), all.reduce((sum, s) => sum + s.bytes, 0));
    // Per-second points: the same seconds with the same counts and percentiles.
    const pointsOf = (r: MetricsRegistry) => r.series().find((l) => l.metric === 'smtp.send_time')!.points;
    t.deepEqual(pointsOf(merged).map((p) => [p.t, p.count, p.p99]), pointsOf(single).map((p) => [p.t, p.count, p.p99]), `${n} workers: per-second points`);
  }
  // The check can fail: a percentile averaged over workers is not the merged one.
  const halves = [all.filter((_, i) => i % 2 === 0), all.filter((_, i) => i % 2 === 1)].map((part) => {
    const r = new MetricsRegistry({ startedAt: 0 });
    for (const s of part) r.trend('x', s.latency);
    return r.query('x')!.stat('p(99.9)')!;
  });
  t.not((halves[0]! + halves[1]!) / 2, single.query('smtp.send_time')!.stat('p(99.9)'));
});

test('a worker sink keeps each second apart and declares what it was told', (t) => {
  let second = 0;
  const sink = new BatchingSink(() => second, new Set(['vus']));
  sink.declare('fixture', { kind: 'counter', unit: 'count', label: 'things' });
  sink.count('fixture', 2);
  sink.gauge('vus', 9);
  second = 1;
  sink.count('fixture', 3);
  sink.gauge('queue', 4);
  sink.gauge('queue', 1);
  const { records, declarations } = sink.drain();
  t.deepEqual(declarations.map((d) => d.name), ['fixture']);
  t.deepEqual(records.map((r) => [r.n, r.s, r.c]), [['fixture', 0, 1], ['fixture', 1, 1], ['queue', 1, 2]]);
  t.like(records[2], { last: 1, min: 1, max: 4 });
  t.deepEqual(sink.drain().records, [], 'drained');
  t.throws(() => sink.trend('fixture', 1), { instanceOf: TypeError });
});
