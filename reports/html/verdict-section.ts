// The top of a report: what ran, the verdict, and every gate with what it means for users.
import type { GateResult, RunResult } from '../../harness/result-schema.ts';
import { escapeHtml } from './escape.ts';
import { overloadSentence } from '../rig-text.ts';
import { gateSentence } from './gate-sentence.ts';
import { describeMetric, type Declarations, type Unit } from './metric-info.ts';
import { parseExpression, parseMetric } from './metric-name.ts';
import { formatValue, statUnit } from './format.ts';
import { formatDuration } from '../../engine/duration.ts';
import { num, table } from './table.ts';

/** The unit a gate's observed value is in: its statistic's unit for its metric. */
export function gateUnit(gate: GateResult, declarations: Declarations | undefined): Unit {
  return statUnit(parseExpression(gate.expression)?.stat ?? '', describeMetric(parseMetric(gate.metric).name, undefined, declarations).unit);
}

/** Observed value of a gate in the unit of its statistic ("1m6s", "96.67%", "0"). */
export function formatObserved(gate: GateResult, declarations: Declarations | undefined): string {
  return gate.observed === null ? 'no samples' : formatValue(gate.observed, gateUnit(gate, declarations));
}

/** The threshold side of a gate, readable: "p(99) < 1m". */
export function formatThreshold(gate: GateResult, declarations: Declarations | undefined): string {
  const expr = parseExpression(gate.expression);
  if (!expr) return gate.expression;
  const unit = statUnit(expr.stat, describeMetric(parseMetric(gate.metric).name, undefined, declarations).unit);
  return `${expr.stat} ${expr.op} ${formatValue(expr.threshold, unit)}`;
}

export function verdictSummary(result: RunResult): string {
  const failed = result.gates.filter((g) => !g.ok && g.notEvaluated === undefined).length;
  const unjudged = result.gates.filter((g) => g.notEvaluated !== undefined).length;
  if (result.verdict === 'error') return `The run broke before it could judge the stack: ${result.reason}.${unjudged ? ` ${unjudged} of ${result.gates.length} gates were not evaluated.` : ''}`;
  if (result.verdict === 'inconclusive' && !result.rig) return `No gate could be judged: ${unjudged} of ${result.gates.length} gates were not evaluated (${result.gates.find((g) => g.notEvaluated)?.notEvaluated ?? 'no gates'}).`;
  if (result.verdict === 'inconclusive' && result.rig) return `${overloadSentence(result.rig)}${failed ? ` (${failed} of ${result.gates.length} gates saw a failure, not counted against the stack.)` : ''}`;
  if (failed === 0 && result.complete && unjudged) {
    return `All ${result.gates.length - unjudged} judged gates passed; ${unjudged} of ${result.gates.length} were not evaluated (${result.gates.find((g) => g.notEvaluated)?.notEvaluated}).`;
  }
  if (failed === 0) return `All ${result.gates.length} gates passed${result.complete ? '' : `, but the run did not complete (${result.reason})`}.`;
  return `${failed} of ${result.gates.length} gates failed${result.complete ? '' : `; the run did not complete (${result.reason})`}.`;
}

/** `unjudged`: the rig was overloaded, so a failed gate is shown as not judged. */
export function gatesTable(gates: readonly GateResult[], declarations: Declarations | undefined, unjudged = false): string {
  if (gates.length === 0) return '<p class="muted">This scenario defines no gates.</p>';
  return table(
    ['Gate', 'Threshold', 'Observed', 'Result', 'What it means for users'],
    gates.map((g) => ({
      className: g.ok ? 'pass' : g.notEvaluated !== undefined || unjudged ? 'warn' : 'fail',
      cells: [
        { html: `<code>${escapeHtml(g.metric)}</code><br><span class="muted small"><code>${escapeHtml(g.expression)}</code>${g.abortOnFail ? ' · abortOnFail' : ''}</span>` },
        { html: `<span class="nowrap">${escapeHtml(formatThreshold(g, declarations))}</span>` },
        num(formatObserved(g, declarations)),
        { html: g.notEvaluated !== undefined ? '<span class="badge warn">not evaluated</span>' : g.observed === null && !g.ok ? '<span class="badge warn">no data</span>' : !g.ok && unjudged ? '<span class="badge inconclusive">not judged</span>' : `<span class="badge ${g.ok ? 'pass' : 'fail'}">${g.ok ? 'pass' : 'fail'}</span>` },
        `${gateSentence(g, declarations)}${g.reason ? ` (${g.reason})` : ''}`,
      ],
    })),
    'gates',
  );
}

/** The verdict header and its one-line summary; `story` (the incident's charts) goes between it and the gates. */
export function verdictSection(result: RunResult, story = ''): string {
  return `<header class="run">
<div>
<p class="muted small">mailstorm ${escapeHtml(result.mailstormVersion)} · run ${escapeHtml(result.runId)}</p>
<h1>${escapeHtml(result.scenario.name)}</h1>
<p>${escapeHtml(result.scenario.description)}</p>
<p class="muted small">${escapeHtml(result.startedAt)} → ${escapeHtml(result.endedAt)} · ${escapeHtml(formatDuration(result.durationMs))} · stack: ${escapeHtml(result.stack.kind)} · scale ×${escapeHtml(result.scale.factor)} · seed ${escapeHtml(result.seed)}</p>
</div>
<div><span class="badge ${escapeHtml(result.verdict)}" id="verdict">${escapeHtml(result.verdict)}</span></div>
</header>
<p class="verdict-line" id="verdict-summary"><strong>${escapeHtml(verdictSummary(result))}</strong></p>
${story}<section id="gates">
${gatesTable(result.gates, result.metricDeclarations, result.verdict === 'inconclusive')}
</section>`;
}
