import test from 'ava';
import { InputError } from '../../engine/errors.ts';
import { MetricsRegistry } from '../../engine/metrics/registry.ts';
import { checkAborts, evaluateThresholds, parseThresholds } from '../../engine/thresholds/index.ts';

function registry() {
  let now = 0;
  const metrics = new MetricsRegistry({ startedAt: 0, now: () => now });
  return { metrics, at: (ms: number) => { now = ms; } };
}

test('parses k6 expressions, operators, numbers and whitespace', (t) => {
  const parsed = parseThresholds({
    delivery_latency: ['p(99)<30000', ' p( 95 ) <= 200 ', 'avg<1e3', 'med>=0.5', 'min > 0', 'max!=7', 'p(99.9)<5'],
    mail_lost: ['count==0'],
    ok: ['rate<0.001'],
    queue: ['value>0'],
  });
  t.deepEqual(parsed.map((p) => [p.stat, p.op, p.value]), [
    ['p(99)', '<', 30000], ['p(95)', '<=', 200], ['avg', '<', 1000], ['med', '>=', 0.5],
    ['min', '>', 0], ['max', '!=', 7], ['p(99.9)', '<', 5], ['count', '==', 0], ['rate', '<', 0.001], ['value', '>', 0],
  ]);
  t.is(parsed[1]?.expression, 'p( 95 ) <= 200');
});

test('metric keys carry tag filters', (t) => {
  const [a, b] = parseThresholds({
    'delivery_latency{flow:background}': ['p(95)<100'],
    'smtp.codes{code:451,flow:x}': [{ threshold: 'count<10', abortOnFail: true, delayAbortEval: '30s', description: 'greylisting stays rare' }],
  });
  t.like(a, { metric: 'delivery_latency{flow:background}', name: 'delivery_latency', filter: { flow: 'background' }, abortOnFail: false });
  t.like(b, { name: 'smtp.codes', filter: { code: '451', flow: 'x' }, abortOnFail: true, delayAbortEvalMs: 30_000, description: 'greylisting stays rare' });
});

test('bad expressions throw InputError showing the expression and what is allowed', (t) => {
  for (const bad of ['p99<1', 'avg < ', 'mean<3', 'avg<<3', 'count=0', 'p(101)<3', 'rate<abc']) {
    const error = t.throws(() => parseThresholds({ lat: [bad] }), { instanceOf: InputError });
    t.true(error!.message.includes(`"${bad}"`), error!.message);
    t.true(error!.message.includes('thresholds.lat[0]'), error!.message);
  }
  t.regex(t.throws(() => parseThresholds({ lat: ['p(101)<3'] }))!.message, /between 0 and 100/);
  t.regex(t.throws(() => parseThresholds({ lat: ['mean<3'] }))!.message, /p\(N\)/);
  t.throws(() => parseThresholds({ 'lat{flow}': ['avg<1'] }), { instanceOf: InputError, message: /tag:value/ });
  t.throws(() => parseThresholds({ 'bad name!': ['avg<1'] }), { instanceOf: InputError });
  t.throws(() => parseThresholds({ lat: [{ threshold: 'avg<1', delayAbortEval: 'soon' }] }), { instanceOf: InputError, message: /delayAbortEval/ });
});

test('evaluates against the registry, with tag filters', (t) => {
  const { metrics, at } = registry();
  for (let i = 1; i <= 100; i++) metrics.trend('delivery_latency', i, { flow: 'background' });
  metrics.trend('delivery_latency', 100_000, { flow: 'storm' });
  metrics.count('smtp.codes', 3, { code: '451', flow: 'x' });
  metrics.rate('submit_ok', true);
  at(1000);
  const gates = evaluateThresholds(parseThresholds({
    'delivery_latency{flow:background}': ['p(95)<100', 'max<=100'],
    delivery_latency: ['max<=100'],
    'smtp.codes{code:451}': ['count>=10'],
    submit_ok: ['rate>0.99'],
  }), metrics, { final: true });
  t.deepEqual(gates.map((g) => g.ok), [true, true, false, false, true]);
  t.is(gates[2]?.observed, 100_000);
  t.is(gates[3]?.observed, 3);
  t.is(gates[0]?.metric, 'delivery_latency{flow:background}');
});

test('zero samples fail; count/value of a never-recorded metric read as 0', (t) => {
  const { metrics } = registry();
  const gates = evaluateThresholds(parseThresholds({
    mail_lost: ['count==0', 'count>=10'],
    queue_depth: ['value<5'],
    delivery_latency: ['p(99)<30000', 'avg<10'],
    submit_ok: ['rate>0.9'],
  }), metrics, { final: true });
  t.deepEqual(gates.map((g) => [g.ok, g.observed, g.reason]), [
    [true, 0, undefined], [false, 0, undefined], [true, 0, undefined],
    [false, null, 'no samples'], [false, null, 'no samples'], [false, null, 'no samples'],
  ]);
  // A filter matching no series is the same as no samples.
  metrics.trend('delivery_latency', 5, { flow: 'storm' });
  const [g] = evaluateThresholds(parseThresholds({ 'delivery_latency{flow:background}': ['p(95)<100'] }), metrics, { final: true });
  t.like(g, { ok: false, observed: null, reason: 'no samples' });
});

test('a stat that does not fit the metric kind fails with a reason', (t) => {
  const { metrics } = registry();
  metrics.count('mail_lost', 1);
  const [g] = evaluateThresholds(parseThresholds({ mail_lost: ['p(99)<1'] }), metrics, { final: true });
  t.false(g!.ok);
  t.regex(g!.reason!, /not a stat of counter.*count, rate/);
});

test('checkAborts honours abortOnFail and delayAbortEval, and waits for samples', (t) => {
  const { metrics } = registry();
  const parsed = parseThresholds({
    errors: [{ threshold: 'count<5', abortOnFail: true, delayAbortEval: '10s' }],
    lat: [{ threshold: 'p(99)<100', abortOnFail: true }],
    other: ['count<1'],
  });
  t.is(checkAborts(parsed, metrics, 0), undefined, 'no samples yet is not a reason to abort');
  metrics.count('other', 3);
  metrics.count('errors', 9);
  t.is(checkAborts(parsed, metrics, 5_000), undefined, 'before delayAbortEval');
  t.like(checkAborts(parsed, metrics, 10_000), { metric: 'errors', ok: false, observed: 9, abortOnFail: true });
  const parsed2 = parseThresholds({ lat: [{ threshold: 'p(99)<100', abortOnFail: true }] });
  metrics.trend('lat', 50);
  t.is(checkAborts(parsed2, metrics, 1), undefined);
  metrics.trend('lat', 5000);
  t.like(checkAborts(parsed2, metrics, 1), { metric: 'lat', ok: false });
});
