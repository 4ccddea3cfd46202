import test from 'ava';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { htmlReporter, renderHtmlReport, writeHtmlReport, writeSuiteReports } from '../../reports/html/index.ts';
import type { ChartSpec } from '../../reports/html/chart-spec.ts';
import { escapeHtml } from '../../reports/html/escape.ts';
import { embeddedData, loadRun, loadSuite, tempDir } from './fixtures.ts';
import { LEAK_FAILOVER_METRICS } from '../../scenarios/leak-failover/metrics.ts';

const chartsOf = (html: string) => embeddedData(html)['charts'] as ChartSpec[];

test('report.html shows every gate with threshold, observed value, result and its meaning', async (t) => {
  const result = loadRun('storm-failed');
  const dir = await tempDir('html');
  const file = await writeHtmlReport(result, dir);
  t.is(file, join(dir, 'report.html'));
  const html = await readFile(file, 'utf8');
  t.regex(html, /<span class="badge fail" id="verdict">fail<\/span>/);
  t.true(html.includes('1 of 4 gates failed.'));
  for (const gate of result.gates) {
    t.true(html.includes(gate.metric), gate.metric);
    t.true(html.includes(gate.expression.replace('<', '&lt;').replace('>', '&gt;')), gate.expression);
  }
  t.true(html.includes('p(99) &lt; 1m'));
  t.true(html.includes('Background mail p99 took 1m6s to arrive (limit 1m); users saw mail arrive minutes late.'));
  t.true(html.includes('Did not happen: ordinary users could not send mail while the storm raged.'), 'a passing gate says its description was averted');
  t.is((html.match(/badge fail">fail</g) ?? []).length, 1);
  t.is((html.match(/badge pass">pass</g) ?? []).length, 3);
});

test('report.html holds the ledger, parameters with scale, figures, stack, errors and the command', (t) => {
  const result = loadRun('storm-failed');
  const html = renderHtmlReport(result);
  for (const id of ['ledger', 'figures', 'params', 'stack', 'errors', 'events', 'reproduce']) t.true(html.includes(`<section id="${id}">`), id);
  t.regex(html, /<td><strong>total<\/strong><\/td><td class="num">8,619<\/td><td class="num">8,579<\/td>/);
  t.true(html.includes('<strong>scale factor</strong>'));
  t.true(html.includes('840,000 messages'), 'projected figure');
  t.true(html.includes('fake-mta'));
  t.true(html.includes('451 4.3.2 System busy, try again later'));
  t.true(html.includes(`<pre id="command">${result.command}</pre>`));
  t.true(html.includes('mailstorm <strong>0.1.0</strong>'));
});

test('the page is self-contained: no external script, style or link', (t) => {
  const html = renderHtmlReport(loadRun('storm-failed'));
  t.notRegex(html, /<script[^>]+src=/);
  t.notRegex(html, /<link[^>]+href=/);
  t.notRegex(html, /(src|href)="https?:/);
  t.true(html.includes('Chart.js v4'), 'chart.js is inlined');
});

test('embedded data parses back to the result, with a chart for every recorded family', (t) => {
  const result = loadRun('storm-failed');
  const data = embeddedData(renderHtmlReport(result));
  t.deepEqual(data['result'], JSON.parse(JSON.stringify(result)));
  const ids = (data['charts'] as ChartSpec[]).map((c) => c.id);
  t.deepEqual(ids, [
    'throughput', 'errors', 'error-rate', 'rates',
    'latency-delivery-latency-flow-background', 'latency-delivery-latency-flow-storm',
    'queue', 'lockouts', 'delivery', 'ledger', 'other-storm-blocked',
  ]);
  const latency = (data['charts'] as ChartSpec[]).find((c) => c.id === 'latency-delivery-latency-flow-background');
  t.deepEqual(latency?.datasets.map((d) => d.label), ['p50', 'p95', 'p99']);
  t.true((data['charts'] as ChartSpec[]).filter((c) => c.kind === 'line').every((c) => c.timeline));
});

test('the chaos timeline has fault bands and failure, degradation and recovery markers', (t) => {
  const data = embeddedData(renderHtmlReport(loadRun('storm-failed')));
  const timeline = (data['timelines'] as Record<string, { bands: unknown[]; markers: unknown[] }>)['run'];
  t.deepEqual(timeline?.bands, [
    { start: 55, end: 85, label: 'latency on smtp', down: false },
    { start: 100, end: 108, label: 'submission down', down: true },
  ]);
  t.deepEqual(timeline?.markers, [
    { at: 62, label: 'degradation detected', kind: 'degradation' },
    { at: 100, label: 'submission down', kind: 'failure' },
    { at: 104, label: 'failover', kind: 'recovery' },
  ]);
});

test('migration charts show progress against the window and the projected completion', (t) => {
  const charts = chartsOf(renderHtmlReport(loadRun('migration')));
  const progress = charts.find((c) => c.id === 'migration-progress');
  t.deepEqual(progress?.guides?.find((g) => g.label === 'window ends'), { x: 150, label: 'window ends', color: '#dc2626' }, 'the 48 h window is compressed into 150 s');
  const projected = progress?.datasets.find((d) => d.label === 'projected');
  t.true(projected?.dashed);
  t.deepEqual(projected?.data.at(-1), { x: 150 * 0.945, y: 5000 }, 'runs to the last ratio x window, all accounts');
  const ratio = charts.find((c) => c.id === 'migration-ratio');
  t.deepEqual(ratio?.guides, [{ y: 1, label: 'window', color: '#dc2626' }]);
});

test('a projected-completion gauge in seconds is drawn against the window too', (t) => {
  const result = loadRun('migration');
  // what a scenario would say: its window and target as figures, its gauges as migration metrics
  result.figures = { ...result.figures, migration_window: { value: 60_000, unit: 'ms' }, accounts_to_move: { value: 100, unit: 'accounts' } };
  result.metricDeclarations = {
    migration_progress: { kind: 'gauge', unit: 'count', label: 'migrated accounts', topic: 'migration', worse: 'lower' },
    migration_projected_completion: { kind: 'gauge', unit: 's', label: 'projected completion', topic: 'migration' },
  };
  result.series = [
    { metric: 'migration_progress', kind: 'gauge', tags: {}, points: [{ t: 0, value: 0 }, { t: 10, value: 20 }] },
    { metric: 'migration_projected_completion', kind: 'gauge', tags: {}, points: [{ t: 10, value: 50 }] },
  ];
  const charts = chartsOf(renderHtmlReport(result));
  // one projection point is no trend: it stays a guide on the progress chart and a tile, not a chart of its own
  t.deepEqual(charts.map((c) => c.id), ['migration-progress']);
  t.deepEqual(charts[0]?.guides?.map((g) => [g.label, g.x ?? g.y]), [['window ends', 60], ['100 accounts', 100], ['projected completion', 50]]);
  t.regex(renderHtmlReport(result), /class="tile"><span class="muted small">[^<]*<\/span><b>50<\/b>/);
});

test('series nobody registered are still charted, by kind', (t) => {
  const result = loadRun('migration');
  result.series = [
    { metric: 'widget_count', kind: 'counter', tags: { flow: 'a' }, points: [{ t: 0, value: 1 }, { t: 1, value: 2 }, { t: 2, value: 2 }] },
    { metric: 'widget_level', kind: 'gauge', tags: {}, points: [{ t: 0, value: 5 }, { t: 1, value: 5 }, { t: 2, value: 5 }] },
    { metric: 'widget_ok', kind: 'rate', tags: {}, points: [{ t: 0, value: 0.5, count: 2 }, { t: 1, value: 0.5, count: 2 }, { t: 2, value: 0.5, count: 2 }] },
    { metric: 'widget_time', kind: 'trend', tags: { flow: 'b' }, points: [0, 1, 2].map((t) => ({ t, value: 3, p50: 2, p95: 4, p99: 5 })) },
  ];
  const charts = chartsOf(renderHtmlReport(result));
  t.deepEqual(charts.map((c) => [c.id, c.unit]), [
    ['other-widget-count', 'per_s'], ['other-widget-level', 'count'], ['other-widget-ok', 'percent'], ['latency-widget-time-flow-b', 'ms'],
  ]);
  t.deepEqual((charts[2]?.datasets[0]?.data as { y: number }[])[0], { x: 0, y: 50 });
});

test('text from result.json cannot break out of the page', (t) => {
  const result = loadRun('migration');
  const evil = '</script><script>alert(1)</script><!--';
  result.scenario.description = evil;
  result.params['note'] = evil;
  const html = renderHtmlReport(result);
  t.false(html.includes('<script>alert(1)'));
  t.is((embeddedData(html)['result'] as typeof result).scenario.description, evil);
});

test('the suite index links every scenario report and names the failed gates', async (t) => {
  const dir = await tempDir('suite');
  const files = await writeSuiteReports(loadSuite('suite-pre-upgrade'), [loadRun('storm-failed'), loadRun('migration')], dir);
  t.deepEqual(files, { html: join(dir, 'index.html'), markdown: join(dir, 'summary.md') });
  t.true((await readFile(files.markdown, 'utf8')).startsWith('## ❌ Suite pre-upgrade: FAIL'));
  const html = await readFile(files.html, 'utf8');
  t.true(html.includes('href="reply-all-storm/report.html"'));
  t.true(html.includes('href="weekend-migration/report.html"'));
  t.true(html.includes('1 of 2 scenarios did not pass.'));
  t.true(html.includes('Background mail p99 took 1m6s'));
});

test('htmlReporter writes report.html when the run ends', async (t) => {
  const dir = await tempDir('reporter');
  const reporter = htmlReporter();
  await reporter.onBegin({ runId: 'r', scenario: 'weekend-migration', outDir: dir, plannedMs: 1000 });
  await reporter.onEnd(loadRun('migration'), dir);
  t.regex(await readFile(join(dir, 'report.html'), 'utf8'), /<h1>weekend-migration<\/h1>/);
});

test('a smoke run recorded before metrics were declared renders its gates, ledger and every series, each charted by kind', (t) => {
  const result = loadRun('real-smoke');
  t.is(result.metricDeclarations, undefined);
  const html = renderHtmlReport(result);
  for (const gate of result.gates) t.true(html.includes(`<code>${gate.metric}</code>`), gate.metric);
  t.true(html.includes('All 3 gates passed.'));
  const ids = chartsOf(html).map((c) => c.id);
  t.true(ids.includes('ledger'), ids.join(', '));
  // lines of one or two points become tiles, not charts (short-series.ts)
  for (const name of new Set(result.series.filter((s) => s.points.length >= 3).map((s) => s.metric))) {
    t.true(ids.some((id) => id.startsWith(`other-${name.replaceAll(/[^a-z0-9]+/gi, '-')}`) || id.startsWith(`latency-${name.replaceAll(/[^a-z0-9]+/gi, '-')}`)), `${name} charted`);
  }
});

test('a run the stack broke says so at the top, with no charts to draw', (t) => {
  const result = loadRun('real-stack-error');
  const html = renderHtmlReport(result);
  t.regex(html, /<span class="badge error" id="verdict">error<\/span>/);
  t.true(html.includes(`The run broke before it could judge the stack: ${escapeHtml(result.reason)}.`));
  t.true(html.includes('Not judged: no samples; treat the result as unknown.'));
  t.true(html.includes('No series were recorded.'));
});

test('a trend declared in seconds or days is shown in that unit, not as milliseconds', (t) => {
  const result = loadRun('storm-failed');
  const trend = (name: string, value: number) => ({ name, kind: 'trend' as const, tags: {}, values: { count: 1, avg: value, min: value, med: value, max: value, 'p(90)': value, 'p(95)': value, 'p(99)': value } });
  const metricDeclarations = { ...result.metricDeclarations, ...LEAK_FAILOVER_METRICS };
  const html = renderHtmlReport({ ...result, metricDeclarations, metrics: [...result.metrics, trend('failover_seconds', 90), trend('degradation_lead_days', 24.98)] });
  const row = (name: string) => new RegExp(`<code>${name}</code>.*?</tr>`, 's').exec(html)?.[0] ?? '';
  t.regex(row('failover_seconds'), /1m30s/);
  t.notRegex(row('failover_seconds'), /90 ms/);
  t.regex(row('degradation_lead_days'), /24\.98/);
  t.notRegex(row('degradation_lead_days'), / ms/);
});
