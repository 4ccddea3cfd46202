// `mailstorm compare <baseline> <candidate>`: the pre-upgrade regression gate.
// Exit 1 on a regression, 0 otherwise, 2 on unreadable or mismatched inputs.
import { dirname, resolve } from 'node:path';
import { statSync } from 'node:fs';
import { Command } from 'commander';
import { InputError } from '../../engine/errors.ts';
import { compareCapacityRuns } from '../capacity-compare.ts';
import type { CommandContext } from '../io.ts';
import { DEFAULT_RULES, parseCount, parseLatencyTolerance, parseRateTolerance, runCompare, type RegressionRules } from '../../reports/compare/index.ts';

interface CompareFlags {
  out?: string;
  latencyTolerance: string;
  latencyMinDelta: string;
  rateTolerance: string;
  lostTolerance: string;
  ignore?: string[];
  quiet?: boolean;
  kneeTolerance: string;
}

/** Reports go next to the candidate unless --out says otherwise. */
function defaultOut(candidate: string): string {
  const full = resolve(candidate);
  try {
    return statSync(full).isDirectory() ? full : dirname(full);
  } catch {
    return dirname(full);
  }
}

function rulesFrom(flags: CompareFlags): RegressionRules {
  return {
    latencyTolerance: parseLatencyTolerance(flags.latencyTolerance),
    latencyMinDeltaMs: parseCount(flags.latencyMinDelta, '--latency-min-delta'),
    rateTolerancePoints: parseRateTolerance(flags.rateTolerance),
    lostTolerance: parseCount(flags.lostTolerance, '--lost-tolerance'),
    ignore: flags.ignore ?? [],
  };
}

export function compareCommand(cli: CommandContext): Command {
  const { io: { stdout, stderr }, setExit } = cli;
  return new Command('compare')
    .description('compare a candidate run or suite against a baseline; exit 1 on a regression, 2 on mismatched inputs')
    .argument('<baseline>', 'baseline: a result.json, a run folder, or a suite folder (suite.json)')
    .argument('<candidate>', 'candidate: same kind as the baseline; suite runs are matched by scenario name')
    .option('--out <dir>', 'where to write compare.html, compare.md and compare.json (default: the candidate folder)')
    .option('--latency-tolerance <percent>', 'a latency percentile (p50, p95, p99) worse by more than this is a regression', `${DEFAULT_RULES.latencyTolerance * 100}%`)
    .option('--latency-min-delta <ms>', '...and worse by more than this many ms, so noise on tiny latencies does not fail (0 to turn off)', String(DEFAULT_RULES.latencyMinDeltaMs))
    .option('--rate-tolerance <points>', 'a rate worse by more than this many PERCENTAGE POINTS is a regression (0.1 = 99.95% -> 99.85%)', String(DEFAULT_RULES.rateTolerancePoints))
    .option('--lost-tolerance <n>', 'new lost messages allowed before it is a regression', String(DEFAULT_RULES.lostTolerance))
    .option('--ignore <metric...>', 'metrics or gates (name, or name{tag:value}) to leave out')
    .option('--knee-tolerance <share>', 'capacity runs: the knee\'s throughput lower by more than this is a regression', '10%')
    .option('--quiet', 'print only the verdict line')
    .action(async (baseline: string, candidate: string, flags: CompareFlags) => {
      try {
        const capacityExit = await compareCapacityRuns(baseline, candidate, flags.out ?? defaultOut(candidate), flags.kneeTolerance, stdout);
        if (capacityExit !== undefined) return setExit(capacityExit);
        const outcome = await runCompare(baseline, candidate, flags.out ?? defaultOut(candidate), rulesFrom(flags));
        const text = flags.quiet ? outcome.text.trimEnd().split('\n').at(-1) + '\n' : outcome.text;
        stdout.write(`${text}wrote ${outcome.files.html}\n      ${outcome.files.markdown}\n`);
        setExit(outcome.exitCode);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        stderr.write(`mailstorm compare: ${error.message}\n`);
        setExit(2);
      }
    });
}
