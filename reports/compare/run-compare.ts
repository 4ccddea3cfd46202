// `mailstorm compare`: load both sides, pair runs, apply the rules, write compare.html,
// compare.md and compare.json. Mismatched or unreadable inputs throw InputError (exit 2).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compareRuns } from './compare-runs.ts';
import type { Comparison } from './compare-types.ts';
import { loadSide } from './load-side.ts';
import { InputError } from '../../engine/errors.ts';
import { breachList } from '../rig-text.ts';
import { pairSides } from './pair-sides.ts';
import { renderCompareHtml } from './render-compare-html.ts';
import { renderCompareMarkdown } from './render-compare-md.ts';
import { renderCompareText } from './render-compare-text.ts';
import { DEFAULT_RULES, type RegressionRules } from './rules.ts';

export async function compareInputs(baselinePath: string, candidatePath: string, rules: RegressionRules = DEFAULT_RULES): Promise<Comparison> {
  const baseline = await loadSide(baselinePath, 'baseline');
  const candidate = await loadSide(candidatePath, 'candidate');
  const pairs = pairSides(baseline, candidate);
  // A regression is a claim about the stack; a side whose harness could not keep up cannot support one.
  for (const pair of pairs) {
    for (const [side, run] of [['baseline', pair.baseline], ['candidate', pair.candidate]] as const) {
      if (run.result.verdict !== 'inconclusive') continue;
      throw new InputError(`the ${side} run of ${pair.scenario} (${run.result.runId}) is inconclusive: the harness could not keep up (${breachList(run.result.rig)}); `
        + 'run it again on a quieter machine or with less load before comparing');
    }
  }
  const scenarios = pairs.map((pair) => ({
    scenario: pair.scenario,
    baseline: pair.baseline.result,
    candidate: pair.candidate.result,
    rows: compareRuns(pair.baseline.result, pair.candidate.result, rules),
  }));
  const regressions = scenarios.reduce((n, s) => n + s.rows.filter((r) => r.verdict === 'regression').length, 0);
  return {
    baselinePath: baseline.path, candidatePath: candidate.path, rules, scenarios, regressions,
    ...(baseline.kind === 'suite' ? { suite: baseline.suite.suite } : {}),
  };
}

export interface CompareOutcome {
  comparison: Comparison;
  /** 1 when any row is a regression, else 0 */
  exitCode: 0 | 1;
  text: string;
  files: { html: string; markdown: string; json: string };
}

export async function runCompare(baselinePath: string, candidatePath: string, outDir: string, rules: RegressionRules = DEFAULT_RULES): Promise<CompareOutcome> {
  const comparison = await compareInputs(baselinePath, candidatePath, rules);
  await mkdir(outDir, { recursive: true });
  const files = { html: join(outDir, 'compare.html'), markdown: join(outDir, 'compare.md'), json: join(outDir, 'compare.json') };
  await writeFile(files.html, renderCompareHtml(comparison));
  await writeFile(files.markdown, renderCompareMarkdown(comparison));
  const summary = { ...comparison, scenarios: comparison.scenarios.map((s) => ({ scenario: s.scenario, baseline: s.baseline.runId, candidate: s.candidate.runId, rows: s.rows })) };
  await writeFile(files.json, JSON.stringify(summary, null, 2) + '\n');
  return { comparison, exitCode: comparison.regressions ? 1 : 0, text: renderCompareText(comparison), files };
}
