export { runCompare, compareInputs, type CompareOutcome } from './run-compare.ts';
export { compareRuns } from './compare-runs.ts';
export { DEFAULT_RULES, parseLatencyTolerance, parseRateTolerance, parseCount, describeRules, type RegressionRules } from './rules.ts';
export type { Comparison, CompareRow, RowVerdict, ScenarioComparison } from './compare-types.ts';
