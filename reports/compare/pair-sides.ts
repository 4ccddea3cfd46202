// Matches baseline and candidate runs (by scenario name) and refuses mismatched inputs
// with a message that says exactly what differs.
import { InputError } from '../../engine/errors.ts';
import { RESULT_SCHEMA_VERSION } from '../../harness/result-schema.ts';
import type { LoadedRun, Side } from './load-side.ts';

export interface RunPair {
  scenario: string;
  baseline: LoadedRun;
  candidate: LoadedRun;
}

function checkVersions(b: LoadedRun, c: LoadedRun): void {
  const bv = b.result.schemaVersion as number;
  const cv = c.result.schemaVersion as number;
  if (bv !== cv) {
    throw new InputError(`different result schema versions: baseline ${b.file} is v${bv}, candidate ${c.file} is v${cv}; re-run one side with the same mailstorm version`);
  }
  if (bv !== RESULT_SCHEMA_VERSION) {
    throw new InputError(`result schema v${bv} (${b.file}) is not supported: this mailstorm reads v${RESULT_SCHEMA_VERSION}`);
  }
}

function describe(side: Side): string {
  return side.kind === 'suite' ? `a suite (${side.suite.suite}, ${side.path})` : `a single run of ${side.run.result.scenario.name} (${side.path})`;
}

/** Runs by scenario name; a scenario a suite runs twice is matched by occurrence ("name #2"). */
function keyed(runs: readonly LoadedRun[]): Map<string, LoadedRun> {
  const map = new Map<string, LoadedRun>();
  for (const run of runs) {
    const name = run.result.scenario.name;
    let key = name;
    for (let n = 2; map.has(key); n++) key = `${name} #${n}`;
    map.set(key, run);
  }
  return map;
}

export function pairSides(baseline: Side, candidate: Side): RunPair[] {
  if (baseline.kind !== candidate.kind) {
    throw new InputError(`cannot compare ${describe(baseline)} with ${describe(candidate)}: give two runs or two suites`);
  }
  // Versions first: a result of another schema may not even have the fields matched on below.
  const runsOf = (side: Side) => (side.kind === 'run' ? [side.run] : side.runs);
  for (const b of runsOf(baseline)) for (const c of runsOf(candidate)) checkVersions(b, c);
  const pairs: RunPair[] = [];
  if (baseline.kind === 'run' && candidate.kind === 'run') {
    const b = baseline.run.result.scenario.name;
    const c = candidate.run.result.scenario.name;
    if (b !== c) throw new InputError(`different scenarios: baseline ran "${b}", candidate ran "${c}"`);
    pairs.push({ scenario: b, baseline: baseline.run, candidate: candidate.run });
  } else if (baseline.kind === 'suite' && candidate.kind === 'suite') {
    const base = keyed(baseline.runs);
    const cand = keyed(candidate.runs);
    const onlyBase = [...base.keys()].filter((s) => !cand.has(s));
    const onlyCand = [...cand.keys()].filter((s) => !base.has(s));
    if (onlyBase.length || onlyCand.length) {
      const parts = [onlyBase.length ? `only in baseline: ${onlyBase.join(', ')}` : '', onlyCand.length ? `only in candidate: ${onlyCand.join(', ')}` : ''].filter(Boolean);
      throw new InputError(`the suites ran different scenarios (${parts.join('; ')})`);
    }
    for (const [key, run] of base) pairs.push({ scenario: key, baseline: run, candidate: cand.get(key)! });
  }
  return pairs;
}
