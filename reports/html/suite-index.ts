// index.html of a suite run: one row per scenario with its verdict, failed gates and a
// link to its own report.html.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunResult, SuiteResult } from '../../harness/result-schema.ts';
import { escapeHtml } from './escape.ts';
import { gateSentence } from './gate-sentence.ts';
import { renderPage } from './page.ts';
import { table } from './table.ts';
import { formatObserved } from './verdict-section.ts';

function hrefFor(dir: string): string {
  return `${dir.split(/[\\/]/).map(encodeURIComponent).join('/')}/report.html`;
}

export function renderSuiteIndex(suite: SuiteResult, results: readonly RunResult[]): string {
  const byScenario = new Map(results.map((r) => [r.scenario.name, r]));
  const rows = suite.runs.map((run, i) => {
    // results follow suite.runs in order; the name is a check for lists built otherwise
    const result = results[i]?.scenario.name === run.scenario ? results[i] : byScenario.get(run.scenario);
    const failed = result?.gates.filter((g) => !g.ok) ?? [];
    const why = failed.length
      ? `<ul>${failed.map((g) => `<li><code>${escapeHtml(g.metric)}</code> ${escapeHtml(g.expression)}: ${escapeHtml(formatObserved(g, result?.metricDeclarations))}. ${escapeHtml(gateSentence(g, result?.metricDeclarations))}</li>`).join('')}</ul>`
      : result ? '' : '<span class="muted">no result.json</span>';
    return {
      className: run.verdict === 'pass' ? '' : 'fail',
      cells: [
        { html: `<a href="${escapeHtml(hrefFor(run.dir))}">${escapeHtml(run.scenario)}</a>` },
        { html: `<span class="badge ${escapeHtml(run.verdict)}">${escapeHtml(run.verdict)}</span>${run.complete ? '' : ' <span class="muted small">incomplete</span>'}` },
        { text: result ? `${result.gates.length - failed.length} / ${result.gates.length}` : '', num: true },
        { text: result?.ledger ? String(result.ledger.lost) : '', num: true },
        { html: why },
      ],
    };
  });
  const failedRuns = suite.runs.filter((r) => r.verdict !== 'pass').length;
  const body = `<header class="run"><div>
<p class="muted small">mailstorm suite · ${escapeHtml(suite.startedAt)} → ${escapeHtml(suite.endedAt)}</p>
<h1>Suite ${escapeHtml(suite.suite)}</h1>
<p class="verdict-line"><strong>${failedRuns === 0 ? `All ${suite.runs.length} scenarios passed.` : `${failedRuns} of ${suite.runs.length} scenarios did not pass.`}</strong></p>
</div><div><span class="badge ${escapeHtml(suite.verdict)}" id="verdict">${escapeHtml(suite.verdict)}</span></div></header>
<section id="runs"><h2>Scenarios</h2>
${table(['Scenario', 'Verdict', { text: 'Gates passed', num: true }, { text: 'Lost', num: true }, 'Failed gates'], rows, 'runs')}
</section>
${suite.skipped?.length ? `<section id="skipped"><h2>Not run on this stack</h2>${table(['Scenario', 'Why'], suite.skipped.map((k) => ({ cells: [k.scenario, k.reason] })), 'skipped')}</section>` : ''}
<footer>Each scenario's report.html holds its charts, ledger and the command to reproduce it.</footer>`;
  return renderPage(`Suite ${suite.suite}: ${suite.verdict} · mailstorm`, body, { charts: [], timelines: {}, suite });
}

/** Writes index.html into the suite folder and returns its path. */
export async function writeSuiteIndex(suite: SuiteResult, results: readonly RunResult[], suiteDir: string): Promise<string> {
  await mkdir(suiteDir, { recursive: true });
  const file = join(suiteDir, 'index.html');
  await writeFile(file, renderSuiteIndex(suite, results));
  return file;
}
