import test from 'ava';
import { PassThrough } from 'node:stream';
import { junitXml } from '../../reports/junit.ts';
import { formatSummary } from '../../reports/summary.ts';
import { MultiReporter } from '../../harness/multiplex.ts';
import { formatProgress, progressReporter } from '../../reports/progress.ts';
import { RESULT_SCHEMA_VERSION, type RunResult } from '../../harness/result-schema.ts';

function result(overrides: Partial<RunResult> = {}): RunResult {
  return {
    schemaVersion: RESULT_SCHEMA_VERSION, mailstormVersion: '0.1.0', runId: 'r1',
    scenario: { name: 'smoke', description: 'd', incident: 'i', file: 'builtin:smoke' },
    params: {}, scale: { factor: 1 }, seed: 1, command: 'mailstorm run smoke',
    stack: { kind: 'embedded', components: [], notes: [] },
    startedAt: '2026-01-01T00:00:00.000Z', endedAt: '2026-01-01T00:00:05.000Z', durationMs: 5000,
    complete: true, reason: 'completed', verdict: 'fail',
    gates: [
      { metric: 'mail_lost', expression: 'count==0', observed: 0, ok: true, abortOnFail: false },
      { metric: 'delivery_latency{flow:bg}', expression: 'p(99)<500', observed: 812.5, ok: false, abortOnFail: false, description: 'Mail <late> & slow' },
      { metric: 'imap.login_time', expression: 'p(95)<100', observed: null, ok: false, reason: 'no samples', abortOnFail: false },
    ],
    metrics: [{ name: 'iterations', kind: 'counter', tags: { flow: 'mail' }, values: { count: 25, rate: 5 } }],
    series: [], chaos: [], events: [], figures: {}, errors: [{ kind: 'Error', count: 3, sample: 'boom' }],
    ...overrides,
  };
}

test('junit has one testcase per gate with "observed X vs threshold Y" or "no samples"', (t) => {
  const xml = junitXml([result()]);
  t.regex(xml, /<testsuite name="smoke" tests="3" failures="2"/);
  t.regex(xml, /message="observed 812.5 vs threshold p\(99\)&lt;500"/);
  t.regex(xml, /message="no samples"/);
  t.regex(xml, /Mail &lt;late&gt; &amp; slow/);
});

test('junit combines suites and marks an incomplete run', (t) => {
  const xml = junitXml([result(), result({ runId: 'r2', complete: false, reason: 'interrupted by SIGINT', verdict: 'error', gates: [] })]);
  t.is(xml.match(/<testsuite /g)?.length, 2);
  t.regex(xml, /run incomplete: interrupted by SIGINT/);
  t.regex(xml, /<testsuites name="mailstorm" tests="4" failures="3" errors="0">/);
});

test('the summary marks gates and states the verdict', (t) => {
  const text = formatSummary(result({ figures: { storm_deliveries: { value: 220000, unit: 'deliveries', projected: 13200000 } } }), ['junit.xml', 'result.json'], 'results/r1');
  t.regex(text, /storm_deliveries: 220000 deliveries  \(projected 13200000\)/);
  t.regex(text, /✓ mail_lost: count==0/);
  t.regex(text, /✗ delivery_latency\{flow:bg\}: p\(99\)<500  observed 812.5 vs threshold/);
  t.regex(text, /✗ FAIL/);
  t.regex(text, /Error x3: boom/);
  t.regex(text, /results in results\/r1: junit.xml, result.json/);
});

test('the multiplexer keeps going when one reporter throws', async (t) => {
  const seen: string[] = [];
  const multi = new MultiReporter([
    { onBegin() {}, onEnd() { throw new Error('disk full'); } },
    { onBegin() {}, onEnd(r) { seen.push(r.runId); } },
  ]);
  await multi.onEnd(result(), '/tmp/x');
  t.deepEqual(seen, ['r1']);
  t.like(multi.failures[0], { reporter: 0, hook: 'onEnd', message: 'disk full' });
});

test('progress writes plain lines every 10 s when not a TTY', (t) => {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c: Buffer) => { text += c.toString(); });
  const reporter = progressReporter({ stream });
  void reporter.onBegin({ runId: 'r', scenario: 'smoke', outDir: '/tmp', plannedMs: 60_000 });
  for (let s = 1; s <= 25; s++) {
    reporter.onSample?.({ elapsedMs: s * 1000, iterationsPerSec: { mail: 5 }, activeVUs: 2, errors: 0, refused: 0, failingGates: [], outstandingDeliveries: 3 });
  }
  const lines = text.trim().split('\n');
  t.is(lines.length, 3);
  t.regex(lines[0] ?? '', /smoke 1s\/1m \| mail 5.0 it\/s \| 2 VUs \| 0 errors \| 3 outstanding/);
});

test('progress counts refused sends beside failed iterations', (t) => {
  const line = formatProgress({ runId: 'r', scenario: 'reply-all-storm', outDir: '/tmp', plannedMs: 40_000 }, { elapsedMs: 12_000, iterationsPerSec: { storm: 30 }, activeVUs: 9, errors: 0, refused: 263, failingGates: [], outstandingDeliveries: 0 });
  t.regex(line, /\| 0 errors, 263 sends refused \|/);
});

test('progress on a TTY rewrites one line and clears it at the end', async (t) => {
  const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 200 });
  let text = '';
  stream.on('data', (c: Buffer) => { text += c.toString(); });
  const reporter = progressReporter({ stream });
  void reporter.onBegin({ runId: 'r', scenario: 'smoke', outDir: '/tmp', plannedMs: 10_000 });
  reporter.onSample?.({ elapsedMs: 1000, iterationsPerSec: {}, activeVUs: 1, errors: 2, refused: 0, failingGates: ['mail_lost count==0'], outstandingDeliveries: 0 });
  await reporter.onEnd(result(), '/tmp');
  t.true(text.startsWith('\r\x1b[2Ksmoke 1s/10s'));
  t.regex(text, /failing: mail_lost count==0/);
  t.false(text.includes('\n'));
  t.true(text.endsWith('\r\x1b[2K'));
});
