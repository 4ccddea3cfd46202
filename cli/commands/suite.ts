// mailstorm suite <name>: the suite's scenarios in order, each in its own folder, plus a
// combined junit.xml and suite.json in the suite folder.
import path from 'node:path';
import { mkdir, writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import { InputError } from '../../engine/errors.ts';
import { loadScenario } from '../../harness/scenario/load.ts';
import { makeRunId, resolveOutDir } from '../../harness/run/run-id.ts';
import { EXIT } from '../../harness/run/exit-code.ts';
import { builtIns } from '../../scenarios/index.ts';
import { findSuite, suites } from '../../scenarios/suites.ts';
import { isSuiteFile, loadSuiteFile } from '../../scenarios/suite-file.ts';
import { defaultReporters } from '../../reports/default-reporters.ts';
import { writeJunit } from '../../reports/junit.ts';
import { writeSuiteReports } from '../../reports/html/index.ts';
import { RESULT_SCHEMA_VERSION, type RunResult, type SuiteResult, type Verdict } from '../../harness/result-schema.ts';
import { loadProvider } from '../../stack/index.ts';
import { VERSION } from '../version.ts';
import { addRunOptions, reproduceCommand, resolveRigLimitOptions, workersOption, resolveSegment, resolveStack, type RawRunOptions } from '../run-options.ts';
import type { CommandContext } from '../io.ts';
import { suiteRecap } from '../../reports/suite-recap.ts';
import { redactSetPairs } from '../../harness/scenario/params.ts';

/** Worst first: an interrupted suite, a broken run, a failed gate, then an overloaded rig. */
function suiteExit(codes: readonly number[]): number {
  for (const code of [EXIT.sigint, EXIT.sigterm, EXIT.harness, EXIT.input, EXIT.gateFailed, EXIT.inconclusive]) if (codes.includes(code)) return code;
  return EXIT.pass;
}

const VERDICT_ORDER: readonly Verdict[] = ['error', 'fail', 'inconclusive'];

function suiteVerdict(results: readonly RunResult[]): Verdict {
  return VERDICT_ORDER.find((v) => results.some((r) => r.verdict === v)) ?? 'pass';
}

export function suiteCommand(cli: CommandContext): Command {
  const { io, setExit } = cli;
  const command = new Command('suite')
    .description(`run a suite of scenarios (${suites.map((s) => s.name).join(', ')}); --set values apply to every scenario`)
    .argument('<name>', 'a built-in suite name, or a suite file (.yaml/.json: name, description, entries: [{scenario, set, scale}])');
  addRunOptions(command).action(async (name: string, raw: RawRunOptions) => {
    const suite = isSuiteFile(name) ? await loadSuiteFile(name) : findSuite(name);
    if (!suite) throw new InputError(`unknown suite "${name}"; suites: ${suites.map((s) => s.name).join(', ')}, or a suite file (.yaml, .yml, .json)`);
    // The engine loads only when a run starts, so list and --help stay fast.
    const { executeRun } = await import('../execute-run.ts');
    const { prepareRun } = await import('../../harness/run/prepare.ts');
    const { enforceCaps } = await import('../../harness/plan/caps.ts');
    const stack = await resolveStack(raw);
    const segment = resolveSegment(raw);
    const rigLimits = resolveRigLimitOptions(raw);
    // A replay that needs mailstorm to own part of the platform is not run against someone else's.
    const skipped = stack.kind === 'remote' ? suite.entries.filter((e) => e.notRemote !== undefined).map((e) => ({ scenario: e.scenario, reason: e.notRemote! })) : [];
    const runnable = suite.entries.filter((e) => !(stack.kind === 'remote' && e.notRemote !== undefined));
    // Check every entry before the first one starts, so a bad --set fails in seconds.
    const entries = await Promise.all(runnable.map(async (entry) => {
      const scenario = await loadScenario(entry.scenario, builtIns);
      const set = [...(entry.set ?? []), ...raw.set];
      const scale = raw.scale ?? entry.scale;
      const overrides = { set, ...(scale !== undefined ? { scale } : {}), ...(raw.duration !== undefined ? { duration: raw.duration } : {}) };
      // and a remote platform's caps for every entry, before anything is sent
      enforceCaps(prepareRun(scenario.definition, overrides), stack.kind, stack.config);
      return { entry, scenario, set, overrides, scale };
    }));
    const suiteId = makeRunId(`suite-${suite.name}`);
    const suiteDir = resolveOutDir(suiteId, raw.out);
    const startedAt = new Date();
    const results: RunResult[] = [];
    const runs: SuiteResult['runs'] = [];
    const codes: number[] = [];
    for (const [i, { entry, scenario, set, overrides, scale }] of entries.entries()) {
      const runId = makeRunId(scenario.definition.name);
      const dir = path.join(suiteDir, `${String(i + 1).padStart(2, '0')}-${scenario.definition.name}`);
      const outcome = await executeRun({
        scenario, overrides, seed: raw.seed, stackKind: stack.kind, provider: () => loadProvider(stack.kind),
        ...(stack.config ? { config: stack.config } : {}),
        runId, outDir: dir, command: reproduceCommand(entry.scenario, { ...raw, ...(scale !== undefined ? { scale } : {}) }, redactSetPairs(scenario.definition.params, set)), version: VERSION,
        reporters: defaultReporters({ quiet: raw.quiet === true, stdout: io.stdout, stderr: io.stderr }),
        ...(segment ? { segment } : {}),
        ...(rigLimits ? { rigLimits } : {}),
        ...(raw.redact ? { redact: true } : {}),
        ...workersOption(raw),
      }, io);
      results.push(outcome.result);
      runs.push({ scenario: scenario.definition.name, dir: path.relative(suiteDir, dir), verdict: outcome.result.verdict, complete: outcome.result.complete });
      codes.push(outcome.exitCode);
      if (outcome.interrupted) break;
    }
    const suiteResult: SuiteResult = {
      schemaVersion: RESULT_SCHEMA_VERSION, suite: suite.name, startedAt: startedAt.toISOString(),
      endedAt: new Date().toISOString(), verdict: suiteVerdict(results), runs,
      ...(skipped.length > 0 && { skipped }),
    };
    await mkdir(suiteDir, { recursive: true });
    await writeFile(path.join(suiteDir, 'suite.json'), `${JSON.stringify(suiteResult, null, 2)}\n`);
    await writeJunit(results, suiteDir, `mailstorm suite ${suite.name}`);
    await writeSuiteReports(suiteResult, results, suiteDir);
    io.stdout.write(suiteRecap(suite.name, suiteResult, results, runnable.length, suiteDir));
    setExit(suiteExit(codes));
  });
  return command;
}
