// compare.html: the comparison table and each scenario's charts side by side
// (baseline left, candidate right, same y range), self-contained like report.html.
import type { RunResult } from '../../harness/result-schema.ts';
import { buildTimeline, type Timeline } from '../html/chaos-timeline.ts';
import { planCharts } from '../html/chart-plan.ts';
import { ColorBook, type ChartSpec } from '../html/chart-spec.ts';
import { escapeHtml } from '../html/escape.ts';
import { chartCard, renderPage, TIMELINE_KEY } from '../html/page.ts';
import { table } from '../html/table.ts';
import type { Comparison, ScenarioComparison } from './compare-types.ts';
import { describeRules } from './rules.ts';
import { storyOverlay } from './story-overlay.ts';

function maxY(spec: ChartSpec | undefined): number {
  let max = 0;
  for (const d of spec?.datasets ?? []) for (const p of d.data) max = Math.max(max, typeof p === 'number' ? p : p.y ?? 0);
  return max;
}

/** Each side's charts keyed by chart id, with page-unique ids and a shared y maximum per pair. */
function pairCharts(index: number, s: ScenarioComparison, charts: ChartSpec[], timelines: Record<string, Timeline>): string {
  const colors = new ColorBook();
  const side = (r: RunResult, tag: 'b' | 'c') => {
    timelines[`${index}-${tag}`] = buildTimeline(r.chaos, r.events, r.durationMs / 1000);
    return new Map(planCharts(r, colors).map((c) => [c.id, { ...c, id: `${index}-${tag}-${c.id}` }]));
  };
  const base = side(s.baseline, 'b');
  const cand = side(s.candidate, 'c');
  const ids = [...new Set([...base.keys(), ...cand.keys()])];
  return ids.map((id) => {
    const b = base.get(id);
    const c = cand.get(id);
    const shared = Math.max(maxY(b), maxY(c));
    const xMax = Math.max(b?.xMax ?? s.baseline.durationMs / 1000, c?.xMax ?? s.candidate.durationMs / 1000);
    const cell = (spec: ChartSpec | undefined, tag: 'b' | 'c', label: string) => {
      if (!spec) return `<div class="chart"><p class="muted">Not recorded in the ${label}.</p></div>`;
      const stacked = spec.kind === 'bar' && spec.stacked;
      charts.push({ ...spec, ...(shared > 0 && !stacked && !spec.guides?.length ? { yMax: Math.ceil(shared * 1.05) } : {}), ...(spec.kind === 'line' ? { xMax } : {}) });
      return chartCard(spec, `${index}-${tag}`, `${label}: ${spec.title}`);
    };
    return `<div class="pair">${cell(b, 'b', 'baseline')}${cell(c, 'c', 'candidate')}</div>`;
  }).join('\n');
}

export function renderCompareHtml(comparison: Comparison): string {
  const charts: ChartSpec[] = [];
  const timelines: Record<string, Timeline> = {};
  const sections = comparison.scenarios.map((s, i) => {
    const rows = s.rows.map((r) => ({ className: r.verdict === 'regression' ? 'regression' : '', cells: [r.item, { text: r.baseline, num: true }, { text: r.candidate, num: true }, { text: r.delta, num: true }, { html: `<span class="badge ${r.verdict === 'regression' ? 'fail' : r.verdict === 'fixed' || r.verdict === 'better' ? 'pass' : r.verdict === 'still-failing' || r.verdict === 'worse' ? 'warn' : ''}">${escapeHtml(r.verdict)}</span>${r.rule ? ` <span class="small muted">${escapeHtml(r.rule)}</span>` : ''}` }] }));
    return `<section class="scenario" id="scenario-${i}">
<h2>${escapeHtml(s.scenario)}</h2>
<p class="small muted">baseline <code>${escapeHtml(s.baseline.runId)}</code> (mailstorm ${escapeHtml(s.baseline.mailstormVersion)}, ${escapeHtml(s.baseline.verdict)}) → candidate <code>${escapeHtml(s.candidate.runId)}</code> (mailstorm ${escapeHtml(s.candidate.mailstormVersion)}, ${escapeHtml(s.candidate.verdict)})</p>
${table(['Item', { text: 'Baseline', num: true }, { text: 'Candidate', num: true }, { text: 'Delta', num: true }, 'Verdict'], rows, 'compare')}
${storyOverlay(i, s.baseline, s.candidate, charts, timelines)}
<h3 style="margin-top:18px">Baseline and candidate over time</h3>
${TIMELINE_KEY}
${pairCharts(i, s, charts, timelines)}
</section>`;
  });
  const bad = comparison.regressions;
  const body = `<header class="run"><div>
<p class="muted small">mailstorm compare${comparison.suite ? ` · suite ${escapeHtml(comparison.suite)}` : ''}</p>
<h1>Baseline vs candidate</h1>
<p class="small">baseline <code>${escapeHtml(comparison.baselinePath)}</code><br>candidate <code>${escapeHtml(comparison.candidatePath)}</code></p>
<p class="verdict-line"><strong>${bad ? `${bad} finding${bad === 1 ? '' : 's'} broke the regression rules.` : 'No regression under the rules.'}</strong></p>
<p class="small muted">Rules: ${escapeHtml(describeRules(comparison.rules).join('; '))}.</p>
</div><div><span class="badge ${bad ? 'fail' : 'pass'}" id="verdict">${bad ? 'regression' : 'no regression'}</span></div></header>
${sections.join('\n')}`;
  return renderPage(`compare: ${bad ? 'regression' : 'no regression'} · mailstorm`, body, { charts, timelines, comparison: { ...comparison, scenarios: comparison.scenarios.map((s) => ({ scenario: s.scenario, rows: s.rows })) } });
}
