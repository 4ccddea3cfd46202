// What a comparison produces: rows per scenario, each with a verdict.
import type { RunResult } from '../../harness/result-schema.ts';
import type { RegressionRules } from './rules.ts';

/**
 * regression: breaks a rule (exit 1); worse / better: moved but within the rules;
 * same: unchanged; fixed: a failing gate now passes; still-failing: failed on both sides;
 * new / missing: only on one side; changed: a stack component's version differs (an upgrade
 * is what a pre-upgrade gate compares, so it is stated, never judged).
 */
export type RowVerdict = 'regression' | 'worse' | 'same' | 'better' | 'fixed' | 'still-failing' | 'new' | 'missing' | 'changed';

export interface CompareRow {
  section: 'run' | 'stack' | 'gate' | 'latency' | 'rate' | 'ledger' | 'gauge';
  item: string;
  baseline: string;
  candidate: string;
  delta: string;
  verdict: RowVerdict;
  /** which rule made it a regression */
  rule?: string;
}

export interface ScenarioComparison {
  scenario: string;
  baseline: RunResult;
  candidate: RunResult;
  rows: CompareRow[];
}

export interface Comparison {
  baselinePath: string;
  candidatePath: string;
  suite?: string;
  rules: RegressionRules;
  scenarios: ScenarioComparison[];
  regressions: number;
}
