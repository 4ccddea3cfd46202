// The end of a suite on the terminal: one line per run (verdict, what failed) and a count
// that says how many of how many did what.
import type { RunResult, SuiteResult, Verdict } from '../harness/result-schema.ts';
import { gateFailed } from '../engine/thresholds/not-evaluated.ts';
import { breachList } from './rig-text.ts';

const WORDS: Readonly<Record<Verdict, string>> = { pass: 'passed', fail: 'failed', inconclusive: 'inconclusive', error: 'broke' };

function why(result: RunResult | undefined): string {
  if (!result) return '';
  if (result.verdict === 'inconclusive') return `harness overloaded: ${breachList(result.rig)}`;
  if (result.verdict === 'error') return result.reason;
  return result.gates.filter(gateFailed).map((g) => `${g.metric} ${g.expression}`).join(', ');
}

export function suiteRecap(name: string, suite: SuiteResult, results: readonly RunResult[], planned: number, dir: string): string {
  const width = Math.max(8, ...suite.runs.map((r) => r.scenario.length), ...(suite.skipped ?? []).map((r) => r.scenario.length));
  const lines = ['', `  ${'scenario'.padEnd(width)}  ${'verdict'.padEnd(12)}  failed gates or reason`];
  suite.runs.forEach((run, i) => lines.push(`  ${run.scenario.padEnd(width)}  ${run.verdict.padEnd(12)}  ${why(results[i])}`));
  for (const skip of suite.skipped ?? []) lines.push(`  ${skip.scenario.padEnd(width)}  ${'skipped'.padEnd(12)}  not run on this stack: ${skip.reason}`);
  const counts = (['pass', 'fail', 'inconclusive', 'error'] as const)
    .map((v) => [v, suite.runs.filter((r) => r.verdict === v).length] as const)
    .filter(([v, n]) => n > 0 || v === 'pass')
    .map(([v, n]) => `${n} ${WORDS[v]}`);
  const notRun = planned - suite.runs.length;
  const of = `${counts.join(', ')} of ${planned}${notRun > 0 ? ` (${notRun} not run)` : ''}`;
  const skippedNote = suite.skipped?.length ? `; ${suite.skipped.length} skipped on this stack` : '';
  lines.push('', `suite ${name}: ${suite.verdict} (${of}${skippedNote}) -> ${dir}`, '');
  return lines.join('\n');
}
