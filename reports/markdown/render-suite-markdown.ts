// The suite's summary.md: one row per scenario, linking to each run's report.
import type { RunResult, SuiteResult } from '../../harness/result-schema.ts';
import { gateSentence } from '../html/gate-sentence.ts';
import { mdTable } from './md.ts';

export function renderSuiteMarkdown(suite: SuiteResult, results: readonly RunResult[]): string {
  const byScenario = new Map(results.map((r) => [r.scenario.name, r]));
  const rows = suite.runs.map((run, i) => {
    const result = results[i]?.scenario.name === run.scenario ? results[i] : byScenario.get(run.scenario);
    const failed = result?.gates.filter((g) => !g.ok) ?? [];
    return [
      `[${run.scenario}](${run.dir}/report.html)`,
      `${run.verdict === 'pass' ? '✅' : '❌'} ${run.verdict}${run.complete ? '' : ' (incomplete)'}`,
      result ? `${result.gates.length - failed.length}/${result.gates.length}` : 'n/a',
      result?.ledger ? String(result.ledger.lost) : '',
      failed.map((g) => gateSentence(g)).join(' '),
    ];
  });
  const notPassed = suite.runs.filter((r) => r.verdict !== 'pass').length;
  return `## ${suite.verdict === 'pass' ? '✅' : '❌'} Suite ${suite.suite}: ${suite.verdict.toUpperCase()}

${notPassed === 0 ? `All ${suite.runs.length} scenarios passed.` : `${notPassed} of ${suite.runs.length} scenarios did not pass.`}

${mdTable(['Scenario', 'Verdict', 'Gates passed', 'Lost', 'Why it failed'], rows, ['l', 'l', 'r', 'r', 'l'])}
`;
}
