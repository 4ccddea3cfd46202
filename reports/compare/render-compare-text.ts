// The table `mailstorm compare` prints: one block per scenario, regressions marked.
import type { Comparison, CompareRow } from './compare-types.ts';

const HEAD = ['item', 'baseline', 'candidate', 'delta', 'verdict'];

function cells(row: CompareRow): string[] {
  return [row.item, row.baseline, row.candidate, row.delta, row.verdict === 'regression' ? `REGRESSION (${row.rule ?? ''})` : row.verdict];
}

function pad(rows: string[][]): string {
  const widths = HEAD.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd()).join('\n');
}

export function renderCompareText(comparison: Comparison): string {
  const blocks = comparison.scenarios.map((s) => `== ${s.scenario}: ${s.baseline.runId} -> ${s.candidate.runId}\n${pad([HEAD, ...s.rows.map(cells)])}`);
  const verdict = comparison.regressions
    ? `REGRESSION: ${comparison.regressions} row${comparison.regressions === 1 ? '' : 's'} broke the rules.`
    : 'No regression.';
  return `${blocks.join('\n\n')}\n\n${verdict}\n`;
}
