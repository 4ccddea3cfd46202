import test from 'ava';
import { gateSentence } from '../../reports/html/gate-sentence.ts';
import type { GateResult } from '../../harness/result-schema.ts';

const gate = (g: Partial<GateResult> & Pick<GateResult, 'metric' | 'expression'>): GateResult => ({ observed: 0, ok: true, abortOnFail: false, ...g });

test('latency gates say how long mail took and what that meant', (t) => {
  t.is(
    gateSentence(gate({ metric: 'delivery_latency{flow:background}', expression: 'p(99)<60000', observed: 14 * 60_000, ok: false })),
    'Background mail p99 took 14m to arrive (limit 1m); users were effectively shut out.',
  );
  t.is(
    gateSentence(gate({ metric: 'smtp.send_time', expression: 'p(95)<2000', observed: 850 })),
    'Submissions p95 took 850 ms (limit 2s); within target, so users would not notice.',
  );
});

test('a description is the failure; on a passing gate it is said as averted', (t) => {
  const description = 'A message the stack accepted never arrived.';
  t.is(gateSentence(gate({ metric: 'mail_lost', expression: 'count==0', observed: 2, ok: false, description })), description);
  t.is(gateSentence(gate({ metric: 'mail_lost', expression: 'count==0', description })), 'Did not happen: a message the stack accepted never arrived.');
});

test('lost mail, rates, unknown metrics and missing samples get their own sentences', (t) => {
  t.is(gateSentence(gate({ metric: 'mail_lost', expression: 'count==0', observed: 1, ok: false })), '1 accepted message was lost: recipients never got it and the senders were never told.');
  t.is(gateSentence(gate({ metric: 'http.req_failed', expression: 'rate<0.01', observed: 0.05, ok: false })), '5% of HTTP requests failed (limit < 1%); users saw failures they would report.');
  t.is(gateSentence(gate({ metric: 'widgets', expression: 'value<3', observed: 4, ok: false })), 'Widgets value was 4, outside the limit < 3.');
  t.is(gateSentence(gate({ metric: 'delivery_latency', expression: 'p(99)<1000', observed: null, ok: false, reason: 'no samples' })), 'Not judged: no samples; treat the result as unknown.');
});
