import test from 'ava';
import { build, type JsHistogram } from 'hdr-histogram-js';
import { MetricsRegistry } from '../../engine/metrics/registry.ts';
import { TrendAcc } from '../../engine/metrics/accumulators.ts';
import { RAW_SAMPLES } from '../../engine/metrics/trend-histogram.ts';

function registry(start = 1_000_000) {
  let now = start;
  const metrics = new MetricsRegistry({ startedAt: start, now: () => now });
  return { metrics, at: (ms: number) => { now = start + ms; } };
}

test('trend summary uses k6 stat names and exact min/max/avg', (t) => {
  const { metrics } = registry();
  for (let v = 1; v <= 100; v++) metrics.trend('smtp.send_time', v, { flow: 'bg' });
  const [summary] = metrics.summaries();
  t.is(summary?.name, 'smtp.send_time');
  t.is(summary?.kind, 'trend');
  t.deepEqual(summary?.tags, { flow: 'bg' });
  const v = summary!.values;
  t.is(v['count'], 100);
  t.is(v['avg'], 50.5);
  t.is(v['min'], 1);
  t.is(v['max'], 100);
  t.true(Math.abs(v['med']! - 50) <= 0.1);
  t.true(Math.abs(v['p(90)']! - 90) <= 0.1);
  t.true(Math.abs(v['p(95)']! - 95) <= 0.1);
  t.true(Math.abs(v['p(99)']! - 99) <= 0.1);
});

test('trend keeps precision for sub-millisecond and very large values', (t) => {
  const { metrics } = registry();
  metrics.trend('x', 0.25);
  metrics.trend('x', 0.5);
  metrics.trend('x', 3_600_000 * 10);
  const view = metrics.query('x', {})!;
  t.is(view.stat('min'), 0.25);
  t.true(Math.abs(view.stat('med')! - 0.5) < 0.001);
  t.is(view.stat('max'), 36_000_000);
  t.true(view.stat('p(99.9)')! > 35_000_000);
});

test('counter, rate and gauge summaries', (t) => {
  const { metrics, at } = registry();
  metrics.count('iterations', 1, { flow: 'a' });
  metrics.count('iterations', 4, { flow: 'a' });
  metrics.rate('ok', true);
  metrics.rate('ok', true);
  metrics.rate('ok', false);
  metrics.rate('ok', true);
  metrics.gauge('queue', 5);
  metrics.gauge('queue', 2);
  metrics.gauge('queue', 9);
  metrics.gauge('queue', 3);
  at(10_000);
  const byName = Object.fromEntries(metrics.summaries().map((s) => [s.name, s.values]));
  t.deepEqual(byName['iterations'], { count: 5, rate: 0.5 });
  t.deepEqual(byName['ok'], { rate: 0.75, passes: 3, fails: 1 });
  t.deepEqual(byName['queue'], { value: 3, min: 2, max: 9 });
  t.deepEqual(metrics.names(), ['iterations', 'ok', 'queue']);
});

test('query merges every series whose tags include the filter', (t) => {
  const { metrics } = registry();
  metrics.count('smtp.codes', 2, { code: '451', flow: 'x' });
  metrics.count('smtp.codes', 3, { code: '451', flow: 'y' });
  metrics.count('smtp.codes', 7, { code: '250', flow: 'x' });
  metrics.trend('lat', 10, { flow: 'x' });
  metrics.trend('lat', 30, { flow: 'y' });
  metrics.gauge('g', 1, { a: '1' });
  metrics.gauge('g', 8, { a: '2' });
  metrics.gauge('g', 4, { a: '1' });
  t.is(metrics.query('smtp.codes', { code: '451' })?.stat('count'), 5);
  t.is(metrics.query('smtp.codes', { code: '451', flow: 'x' })?.stat('count'), 2);
  t.is(metrics.query('smtp.codes', {})?.stat('count'), 12);
  t.is(metrics.query('smtp.codes', { code: '500' }), undefined);
  t.is(metrics.query('nothing', {}), undefined);
  t.is(metrics.query('lat', {})?.stat('avg'), 20);
  t.is(metrics.query('lat', {})?.samples, 2);
  const g = metrics.query('g', {})!;
  t.deepEqual([g.stat('value'), g.stat('min'), g.stat('max')], [4, 1, 8]);
  t.is(g.stat('avg'), undefined, 'a stat that does not apply to the kind');
});

test('per-second series: counters per second with zero-filled gaps, trends with percentiles', (t) => {
  const { metrics, at } = registry();
  at(100); metrics.count('c'); metrics.trend('lat', 10); metrics.gauge('g', 1);
  at(900); metrics.count('c', 2); metrics.trend('lat', 20);
  at(3_500); metrics.count('c'); metrics.trend('lat', 40); metrics.gauge('g', 5);
  const lines = Object.fromEntries(metrics.series().map((l) => [l.metric, l]));
  t.deepEqual(lines['c']?.points, [{ t: 0, value: 3 }, { t: 1, value: 0 }, { t: 2, value: 0 }, { t: 3, value: 1 }]);
  t.deepEqual(lines['g']?.points.map((p) => p.value), [1, 1, 1, 5]);
  const lat = lines['lat']!.points;
  t.is(lat.length, 2);
  t.like(lat[0], { t: 0, value: 15, count: 2, max: 20 });
  t.like(lat[1], { t: 3, value: 40, count: 1, p50: 40, p99: 40, max: 40 });
});

test('memory bounds: tag sets fold into overflow, points stop at the cap', (t) => {
  let now = 0;
  const metrics = new MetricsRegistry({ startedAt: 0, now: () => now, maxTagSetsPerMetric: 3, maxPointsPerSeries: 5 });
  for (let i = 0; i < 10; i++) metrics.count('by_id', 1, { id: String(i) });
  const series = metrics.summaries().filter((s) => s.name === 'by_id');
  t.is(series.length, 4);
  t.is(metrics.query('by_id', { overflow: 'true' })?.stat('count'), 7);
  t.is(metrics.query('by_id', {})?.stat('count'), 10);
  for (let s = 0; s < 20; s++) { now = s * 1000; metrics.trend('long', s); }
  const line = metrics.series().find((l) => l.metric === 'long')!;
  t.is(line.points.length, 5);
  t.is(line.truncatedAt, 5);
  t.is(metrics.query('long', {})?.stat('count'), 20, 'totals stay exact past the point cap');
});

test('recording a metric as another kind is refused', (t) => {
  const { metrics } = registry();
  metrics.count('x');
  t.throws(() => metrics.trend('x', 1), { message: /counter/ });
});

test('memory bounds: a registry-wide point budget truncates every series past it', (t) => {
  let now = 0;
  const metrics = new MetricsRegistry({ startedAt: 0, now: () => now, maxPointsTotal: 6 });
  for (let s = 0; s < 10; s++) {
    now = s * 1000;
    metrics.count('a');
    metrics.count('b');
  }
  const lines = metrics.series();
  t.is(lines.reduce((sum, l) => sum + l.points.length, 0), 6);
  t.true(lines.every((l) => l.truncatedAt !== undefined));
  t.is(metrics.query('b', {})?.stat('count'), 10);
});

test('a trend answers as an HDR histogram would, with few samples kept as they are and many in the histogram', (t) => {
  const values = Array.from({ length: 5000 }, (_, i) => ((i * 7919) % 5000) / 3 + 0.001 * (i % 997));
  for (const n of [1, 7, 1000, RAW_SAMPLES, RAW_SAMPLES + 1, 5000]) {
    const acc = new TrendAcc();
    const reference = build({ bitBucketSize: 64, autoResize: true, numberOfSignificantValueDigits: 3 });
    for (const v of values.slice(0, n)) {
      acc.add(v);
      reference.recordValue(Math.round(v * 1000));
    }
    for (const p of [1, 25, 50, 90, 95, 99, 99.9]) {
      const expected = Math.min(acc.max, Math.max(acc.min, reference.getValueAtPercentile(p) / 1000));
      t.is(acc.percentile(p), expected, `p(${p}) of ${n} samples`);
    }
    const buckets: number[] = [];
    const it = (reference as unknown as JsHistogram).recordedValuesIterator;
    it.reset();
    while (it.hasNext()) { const v = it.next(); buckets.push(v.valueIteratedTo, v.countAtValueIteratedTo); }
    t.deepEqual(acc.bucketCounts(), buckets, `buckets of ${n} samples`);
  }
});

test('merging trends kept as samples and as histograms loses none', (t) => {
  const values = Array.from({ length: 4500 }, (_, i) => ((i * 7919) % 4500) / 3 + 0.001 * (i % 997));
  const whole = new TrendAcc();
  for (const v of values) whole.add(v);
  // three parts of 1,500 (one past the sample limit each), and one that crosses it while merging
  const parts = [new TrendAcc(), new TrendAcc(), new TrendAcc()];
  values.forEach((v, i) => parts[i % 3]!.add(v));
  const merged = new TrendAcc();
  for (const p of parts) merged.merge(p);
  t.is(merged.samples, 4500);
  t.deepEqual(merged.bucketCounts(), whole.bucketCounts());
  const small = values.slice(0, 600).map((v) => { const a = new TrendAcc(); a.add(v); return a; });
  const gathered = new TrendAcc();
  for (const a of small) gathered.mergeCounts(a.samples, a.sum, a.min, a.max, a.bucketCounts());
  for (const a of small) gathered.merge(a);
  const twice = new TrendAcc();
  for (const v of [...values.slice(0, 600), ...values.slice(0, 600)]) twice.add(v);
  t.is(gathered.samples, 1200);
  t.deepEqual(gathered.bucketCounts(), twice.bucketCounts());
  t.is(gathered.bucketCounts().filter((_, i) => i % 2 === 1).reduce((a, b) => a + b, 0), 1200);
});
