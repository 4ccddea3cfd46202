// The proof the harness works, for the November 2016 reply-all storm: with no storm
// protection (as the 2016 platform) the replay fails the gates the incident broke, with
// figures showing everyone else's mail held up and users shut out; with Exchange-Online-
// style protection the same replay, the same list and background mail, passes. The two
// runs go one after the other so neither takes CPU from the other's delivery queue.
import test from 'ava';
import { gate, runScenario } from './run-cli.ts';

const FILE = 'scenarios/reply-all-storm/index.ts';
const HARM_GATES = ['delivery_latency{flow:background}', 'background_submission_ok', 'storm_queue_drain_seconds'];
const INTEGRITY_GATES = ['mail_lost', 'mail_duplicated'];

const unprotected = runScenario(FILE, ['stormProtection=false']);
const protectedRun = unprotected.catch(() => undefined).then(() => runScenario(FILE, ['stormProtection=true']));
// Both are awaited by several tests; make sure a failure is never left unhandled meanwhile.
unprotected.catch(() => {});
protectedRun.catch(() => {});

/** The figures in the test log, so a failure shows the run's story. */
const story = (run: Awaited<typeof unprotected>) =>
  [...run.result.gates.map((g) => `${g.ok ? 'pass' : 'FAIL'} ${g.metric} ${g.expression} observed ${g.observed}`),
    ...Object.entries(run.result.figures).map(([name, f]) => `${name}: ${f.value} ${f.unit ?? ''} ${f.note ?? ''}`)];

const figure = (run: Awaited<typeof unprotected>, name: string) => {
  const found = run.result.figures[name];
  if (!found) throw new Error(`no figure ${name}; figures: ${Object.keys(run.result.figures).join(', ')}`);
  return found;
};

test('no storm protection (2016): exit 1; background latency, submission and drain gates fail with the harm in figures', async (t) => {
  t.timeout(300_000);
  const run = await unprotected;
  t.log(story(run).join('\n'));
  t.is(run.code, 1, run.stderr);
  t.is(run.result.verdict, 'fail');
  t.true(run.result.complete);
  for (const metric of HARM_GATES) t.false(gate(run.result, metric).ok, `${metric} should fail without storm protection`);
  for (const metric of INTEGRITY_GATES) t.true(gate(run.result, metric).ok, `${metric}: the storm delays mail, it must not lose or duplicate it`);
  t.false(run.result.gates.some((g) => g.metric === 'storm_replyalls_before_block'), 'no protection claimed, so no protection gate');

  t.true((gate(run.result, 'delivery_latency{flow:background}').observed ?? 0) >= 15_000);
  t.true((gate(run.result, 'background_submission_ok').observed ?? 1) < 0.99);
  t.true((figure(run, 'background_submission_success').value) < 99, 'users were shut out (451)');
  t.true(run.result.metrics.some((m) => m.name === 'smtp.codes' && m.tags['code'] === '451' && m.tags['flow'] === 'background'));
  const replies = figure(run, 'storm_reply_alls');
  t.true(replies.value > 10, 'the storm went on past the 10 reply-alls that protection would allow');
  const deliveries = figure(run, 'storm_deliveries');
  t.true(deliveries.value > 220_000);
  t.is(deliveries.projected, Math.round(deliveries.value * 42), 'projected to the incident\'s 840,000-address list (x42)');
  t.regex(figure(run, 'storm_extra_emails').note ?? '', /840,000/);
  t.is(figure(run, 'storm_protection').value, 0);
  t.is(figure(run, 'storm_protection').text, 'not engaged');
  t.true(figure(run, 'queue_peak_depth').value >= 500_000, 'the queue reached its high-water mark (600,000)');
  t.is(run.result.ledger?.lost, 0);
  t.false(run.result.events.some((e) => e.type === 'storm_protection_engaged'));
});

test('Exchange-Online-style storm protection: exit 0 and every gate passes, protection engaged at 10 reply-alls', async (t) => {
  t.timeout(300_000);
  const run = await protectedRun;
  t.log(story(run).join('\n'));
  t.is(run.code, 0, run.stderr);
  t.is(run.result.verdict, 'pass');
  for (const metric of [...HARM_GATES, ...INTEGRITY_GATES, 'storm_replyalls_before_block']) t.true(gate(run.result, metric).ok, `${metric} should pass with storm protection`);
  t.is(gate(run.result, 'storm_replyalls_before_block').observed, 10);
  t.true(run.result.events.some((e) => e.type === 'storm_protection_engaged'));
  t.is(figure(run, 'storm_protection').value, 1);
  t.is(figure(run, 'storm_protection').text, 'engaged');
  t.regex(figure(run, 'storm_reply_alls').note ?? '', /[1-9]\d* blocked by storm protection/);
  t.is(figure(run, 'storm_deliveries').value, 11 * 20_000, 'the original and 10 reply-alls, each to 20,000 members');
  t.is(figure(run, 'background_submission_success').value, 100);
  t.is(run.result.ledger?.lost, 0);
  t.true((run.result.ledger?.byFlow['background']?.delivered ?? 0) > 500);
});

test('each harm gate tells the 2016 platform from a protected one, by a wide margin', async (t) => {
  t.timeout(300_000);
  const [off, on] = await Promise.all([unprotected, protectedRun]);
  for (const metric of HARM_GATES) t.not(gate(off.result, metric).ok, gate(on.result, metric).ok, `${metric} must tell the two apart`);
  const latency = (r: typeof off) => gate(r.result, 'delivery_latency{flow:background}').observed ?? 0;
  const drain = (r: typeof off) => gate(r.result, 'storm_queue_drain_seconds').observed ?? 0;
  t.true(latency(off) > 2 * latency(on), `background p99 ${latency(off)} ms vs ${latency(on)} ms`);
  t.true(drain(off) > 2 * drain(on), `drain ${drain(off)} s vs ${drain(on)} s`);
  t.true(figure(off, 'storm_deliveries').value > 3 * figure(on, 'storm_deliveries').value);
});
