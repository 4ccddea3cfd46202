// The suite's summary.md: one row per scenario, linking to each run's report.
import type { RunResult, SuiteResult } from '../../harness/result-schema.ts';
import { gateSentence } from '../html/gate-sentence.ts';
import { overloadSentence } from '../rig-text.ts';
import { mdTable } from './md.ts';
import { VERDICT_MARK } from './render-markdown.ts';

export function renderSuiteMarkdown(suite: SuiteResult, results: readonly RunResult[]): string {
  const byScenario = new Map(results.map((r) => [r.scenario.name, r]));
  const rows = suite.runs.map((run, i) => {
    const result = results[i]?.scenario.name === run.scenario ? results[i] : byScenario.get(run.scenario);
    const failed = result?.gates.filter((g) => !g.ok) ?? [];
    return [
      `[${run.scenario}](${run.dir}/report.html)`,
      `${VERDICT_MARK[run.verdict]} ${run.verdict}${run.complete ? '' : ' (incomplete)'}`,
      result ? `${result.gates.length - failed.length}/${result.gates.length}` : 'n/a',
      result?.ledger ? String(result.ledger.lost) : '',
      run.verdict === 'inconclusive' && result?.rig ? overloadSentence(result.rig) : failed.map((g) => gateSentence(g, result?.metricDeclarations)).join(' '),
    ];
  });
  const notPassed = suite.runs.filter((r) => r.verdict !== 'pass').length;
  return `## ${VERDICT_MARK[suite.verdict]} Suite ${suite.suite}: ${suite.verdict.toUpperCase()}

${notPassed === 0 ? `All ${suite.runs.length} scenarios passed.` : `${notPassed} of ${suite.runs.length} scenarios did not pass.`}

${mdTable(['Scenario', 'Verdict', 'Gates passed', 'Lost', 'Why it failed'], rows, ['l', 'l', 'r', 'r', 'l'])}
${suite.skipped?.length ? `\nNot run on this stack:\n\n${suite.skipped.map((k) => `- ${k.scenario}: ${k.reason}`).join('\n')}\n` : ''}`;
}
