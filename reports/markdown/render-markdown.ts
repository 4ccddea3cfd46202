// report.md: a short summary for pull-request comments and CI job summaries.
import type { LedgerSummary } from '../../engine/ledger/types.ts';
import type { RunResult, Verdict } from '../../harness/result-schema.ts';
import type { RigLimitName, RigRecord } from '../../harness/result-schema.ts';
import { RIG_LIMIT_MEANING } from '../rig-text.ts';
import { overloadSentence } from '../rig-text.ts';
import { formatDuration } from '../../engine/duration.ts';
import { gateSentence } from '../html/gate-sentence.ts';
import { formatObserved, formatThreshold, verdictSummary } from '../html/verdict-section.ts';
import { formatNumber, formatValue } from '../html/format.ts';
import { metricKey } from '../html/metric-name.ts';
import { describeMetric } from '../html/metric-info.ts';
import { mdCode, mdTable } from './md.ts';

export function ledgerLine(ledger: LedgerSummary): string {
  const parts = (['expected', 'delivered', 'queued', 'bounced', 'lost', 'duplicated', 'late'] as const).map((k) => `${formatNumber(ledger[k])} ${k}`);
  // absent in result.json files written before it existed
  parts.push(`${formatNumber(ledger.deliveredAfterFailure ?? 0)} delivered after failure`);
  if (ledger.unverified !== undefined) parts.push(`${formatNumber(ledger.unverified)} unverified (mailboxes not readable: ${Object.entries(ledger.unverifiedMailboxes ?? {}).map(([m, why]) => `${m}, ${why}`).join('; ')})`);
  return `**Ledger${ledger.final ? '' : ' (not final)'}:** ${parts.join(' · ')}`;
}

function keyFigures(result: RunResult): string {
  const rows: unknown[][] = [];
  for (const m of result.metrics) {
    if (m.kind !== 'trend') continue;
    const unit = describeMetric(m.name, m.kind, result.metricDeclarations).unit;
    rows.push([metricKey(m.name, m.tags), ...['med', 'p(95)', 'p(99)', 'max'].map((s) => formatValue(m.values[s], unit))]);
  }
  const latency = rows.length ? mdTable(['Latency', 'p50', 'p95', 'p99', 'max'], rows, ['l', 'r', 'r', 'r', 'r']) : '';
  const figures = Object.entries(result.figures);
  const figureTable = figures.length
    ? mdTable(['Figure', 'Measured', `Projected (scale ×${result.scale.factor})`], figures.map(([name, f]) => [name, f.text ?? `${formatNumber(f.value)}${f.unit ? ` ${f.unit}` : ''}`, f.projected === undefined ? '' : `${formatNumber(f.projected)}${f.unit ? ` ${f.unit}` : ''}`]), ['l', 'r', 'r'])
    : '';
  return [latency, figureTable].filter(Boolean).join('\n\n');
}

export const VERDICT_MARK: Readonly<Record<Verdict, string>> = { pass: '✅', fail: '❌', inconclusive: '❔', error: '⚠️' };

/** The rig figures with their limits, so a reader sees how hard the harness itself worked. */
function rigTable(rig: RigRecord): string {
  const rows = (Object.entries(rig.limits) as [RigLimitName, number | null][]).map(([name, limit]) => {
    const observed = rig.figures[name];
    const over = rig.breaches.some((b) => b.figure === name);
    return [RIG_LIMIT_MEANING[name], observed === undefined ? 'not measured' : String(observed), limit === null ? 'none' : String(limit), observed === undefined ? '' : over ? '❌ over' : '✅'];
  });
  return `### Harness health\n\n${rig.overloaded ? `${overloadSentence(rig)}\n\n` : ''}${mdTable(['Rig figure', 'Observed', 'Limit', ''], rows, ['l', 'r', 'r', 'l'])}${workersTable(rig)}`;
}

/** --workers: each thread's segment and how it fared, and what stayed on the main thread. */
function workersTable(rig: RigRecord): string {
  const w = rig.workers;
  if (!w) return '';
  const rows = w.threads.map((t) => t.crashed
    ? [t.segment, 'crashed', t.crashed, '']
    : [t.segment, String(t.cpuShare), `${t.eventLoopDelayP99Ms} (max ${t.eventLoopDelayMaxMs})`, String(t.iterations)]);
  const main = w.mainThread.map((m) => `- on the main thread: ${m.scenario} (${m.why})`).join('\n');
  return `\n\nWorker threads: ${w.threads.length} of ${w.requested} ran executors.\n\n${mdTable(['Execution segment', 'CPU, share of a core', 'Event-loop delay p99 (ms)', 'Iterations started'], rows, ['l', 'r', 'r', 'r'])}${main ? `\n\n${main}` : ''}`;
}

/** `htmlHref` is where report.html sits relative to report.md. */
export function renderMarkdown(result: RunResult, htmlHref = 'report.html'): string {
  const gates = result.gates.length
    ? mdTable(['Gate', 'Threshold', 'Observed', 'Result', 'What it means for users'], result.gates.map((g) => [`${g.metric} ${g.expression}`, formatThreshold(g, result.metricDeclarations), formatObserved(g, result.metricDeclarations), g.ok ? '✅ pass' : g.notEvaluated !== undefined ? '➖ not evaluated' : g.observed === null ? '❔ no data' : result.verdict === 'inconclusive' ? '❔ not judged' : '❌ FAIL', gateSentence(g, result.metricDeclarations)]), ['l', 'l', 'r', 'l', 'l'])
    : '_This scenario defines no gates._';
  const figures = keyFigures(result);
  return `## ${VERDICT_MARK[result.verdict]} ${result.scenario.name}: ${result.verdict.toUpperCase()}

${verdictSummary(result)} Run ${mdCode(result.runId)} · ${formatDuration(result.durationMs)} · stack ${result.stack.kind} · scale ×${result.scale.factor} · seed ${result.seed} · mailstorm ${result.mailstormVersion}

${gates}
${result.rig ? `\n${rigTable(result.rig)}\n` : ''}${figures ? `\n### Key figures\n\n${figures}\n` : ''}
${result.ledger ? `${ledgerLine(result.ledger)}\n\n` : ''}${result.stack.notes.length ? `**Stack (${result.stack.kind}):** ${result.stack.notes.join(' · ')}\n\n` : ''}${result.errors.length ? `**Errors:** ${result.errors.map((e) => `${e.kind} ×${formatNumber(e.count)}`).join(', ')}\n\n` : ''}[Full report with charts](${htmlHref}) · reproduce: ${mdCode(result.command)}
`;
}
