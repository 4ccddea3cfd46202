import test from 'ava';
import { gateSentence } from '../../reports/html/gate-sentence.ts';
import type { GateResult } from '../../harness/result-schema.ts';
import { HTTP_CLIENT_METRICS, SMTP_CLIENT_METRICS } from '../../engine/clients/metric-declarations.ts';
import { LEDGER_METRICS } from '../../engine/ledger/metric-declarations.ts';
import { REPLY_ALL_STORM_METRICS } from '../../scenarios/reply-all-storm/metrics.ts';

// The declarations a real run writes into result.json for these metrics.
const declared = { ...SMTP_CLIENT_METRICS, ...HTTP_CLIENT_METRICS, ...LEDGER_METRICS, ...REPLY_ALL_STORM_METRICS };

const gate = (g: Partial<GateResult> & Pick<GateResult, 'metric' | 'expression'>): GateResult => ({ observed: 0, ok: true, abortOnFail: false, ...g });

test('latency gates say how long mail took and what that meant', (t) => {
  t.is(
    gateSentence(gate({ metric: 'delivery_latency{flow:background}', expression: 'p(99)<60000', observed: 14 * 60_000, ok: false }), declared),
    'Background mail p99 took 14m to arrive (limit 1m); users were effectively shut out.',
  );
  t.is(
    gateSentence(gate({ metric: 'smtp.send_time', expression: 'p(95)<2000', observed: 850 }), declared),
    'Submissions p95 took 850 ms (limit 2s); within target, so users would not notice.',
  );
});

test('a description is the failure; on a passing gate it is said as averted', (t) => {
  const description = 'A message the stack accepted never arrived.';
  t.is(gateSentence(gate({ metric: 'mail_lost', expression: 'count==0', observed: 2, ok: false, description }), declared), description);
  t.is(gateSentence(gate({ metric: 'mail_lost', expression: 'count==0', description }), declared), 'Did not happen: a message the stack accepted never arrived.');
});

test('lost mail, rates, unknown metrics and missing samples get their own sentences', (t) => {
  t.is(gateSentence(gate({ metric: 'mail_lost', expression: 'count==0', observed: 1, ok: false }), declared), '1 accepted message was lost: recipients never got it and the senders were never told.');
  t.is(gateSentence(gate({ metric: 'http.req_failed', expression: 'rate<0.01', observed: 0.05, ok: false }), declared), '5% of HTTP requests failed (limit < 1%); users saw failures they would report.');
  t.is(gateSentence(gate({ metric: 'widgets', expression: 'value<3', observed: 4, ok: false }), declared), 'Widgets value was 4, outside the limit < 3.');
  t.is(gateSentence(gate({ metric: 'delivery_latency', expression: 'p(99)<1000', observed: null, ok: false, reason: 'no samples' }), declared), 'Not judged: no samples; treat the result as unknown.');
});

test('a rate declared as worse when lower reads as successes; an undeclared metric is described from its kind only', (t) => {
  t.is(
    gateSentence(gate({ metric: 'background_submission_ok', expression: 'rate>0.99', observed: 0.5, ok: false }), declared),
    '50% of background submissions succeeded (limit > 99%); users saw failures they would report.',
  );
  // without its declaration a trend gate cannot know its values are milliseconds
  t.is(gateSentence(gate({ metric: 'smtp.send_time', expression: 'p(95)<2000', observed: 850 }), undefined), 'Smtp send time p95 was 850, within the limit < 2,000.');
});
