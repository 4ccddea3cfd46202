// compare.md: the comparison for a pull-request comment or a CI job summary.
import { mdTable } from '../markdown/md.ts';
import type { Comparison, CompareRow } from './compare-types.ts';
import { describeRules } from './rules.ts';

const MARK: Record<string, string> = { regression: '❌ regression', fixed: '✅ fixed', better: 'better', worse: 'worse', same: 'same', 'still-failing': '⚠️ still failing', new: 'new', missing: 'missing', changed: 'changed' };

function rowsTable(rows: readonly CompareRow[]): string {
  if (rows.length === 0) return '';
  return mdTable(['Item', 'Baseline', 'Candidate', 'Delta', 'Verdict'], rows.map((r) => [r.item, r.baseline, r.candidate, r.delta, `${MARK[r.verdict] ?? r.verdict}${r.rule ? `: ${r.rule}` : ''}`]), ['l', 'r', 'r', 'r', 'l']);
}

export function renderCompareMarkdown(comparison: Comparison, htmlHref = 'compare.html'): string {
  const headline = comparison.regressions
    ? `## ❌ Regression: ${comparison.regressions} finding${comparison.regressions === 1 ? '' : 's'} broke the rules`
    : '## ✅ No regression';
  const sections = comparison.scenarios.map((s) => {
    const regressions = s.rows.filter((r) => r.verdict === 'regression').length;
    const unchanged = s.rows.filter((r) => r.verdict === 'same');
    return `### ${s.scenario} ${regressions ? `(${regressions} regression${regressions === 1 ? '' : 's'})` : ''}

Baseline \`${s.baseline.runId}\` (mailstorm ${s.baseline.mailstormVersion}) → candidate \`${s.candidate.runId}\` (mailstorm ${s.candidate.mailstormVersion})

${rowsTable(s.rows.filter((r) => r.verdict !== 'same')) || '_Nothing changed._'}
${unchanged.length ? `\n<details><summary>${unchanged.length} unchanged</summary>\n\n${rowsTable(unchanged)}\n\n</details>\n` : ''}`;
  });
  return `${headline}

Baseline: \`${comparison.baselinePath}\`  
Candidate: \`${comparison.candidatePath}\`

Rules: ${describeRules(comparison.rules).join('; ')}.

${sections.join('\n')}
[Side-by-side charts](${htmlHref})
`;
}
