// mailstorm run <scenario|file>: one scenario against one stack.
import { Command } from 'commander';
import { loadScenario } from '../../harness/scenario/load.ts';
import { makeRunId, resolveOutDir } from '../../harness/run/run-id.ts';
import { builtIns } from '../../scenarios/index.ts';
import { defaultReporters } from '../../reports/default-reporters.ts';
import { loadProvider } from '../../stack/index.ts';
import { VERSION } from '../version.ts';
import { addRunOptions, reproduceCommand, resolveRigLimitOptions, workersOption, resolveSegment, resolveStack, type RawRunOptions } from '../run-options.ts';
import type { CommandContext } from '../io.ts';
import { redactSetPairs } from '../../harness/scenario/params.ts';

export function runCommand(cli: CommandContext): Command {
  const { io, setExit } = cli;
  const command = new Command('run')
    .description('run one scenario: a built-in name (see `mailstorm list`) or a path to a .ts/.js scenario file')
    .argument('<scenario>', 'built-in scenario name or scenario file');
  addRunOptions(command).action(async (ref: string, raw: RawRunOptions) => {
    const scenario = await loadScenario(ref, builtIns);
    const stack = await resolveStack(raw);
    const segment = resolveSegment(raw);
    const rigLimits = resolveRigLimitOptions(raw);
    // The engine loads only when a run starts, so list and --help stay fast.
    const { executeRun } = await import('../execute-run.ts');
    const runId = makeRunId(scenario.definition.name);
    const outcome = await executeRun({
      scenario,
      overrides: { set: raw.set, ...(raw.scale !== undefined ? { scale: raw.scale } : {}), ...(raw.duration !== undefined ? { duration: raw.duration } : {}) },
      seed: raw.seed,
      stackKind: stack.kind,
      provider: () => loadProvider(stack.kind),
      ...(stack.config ? { config: stack.config } : {}),
      runId,
      outDir: resolveOutDir(runId, raw.out),
      command: reproduceCommand(ref, raw, redactSetPairs(scenario.definition.params, raw.set)),
      version: VERSION,
      reporters: defaultReporters({ quiet: raw.quiet === true, stdout: io.stdout, stderr: io.stderr }),
      ...(segment ? { segment } : {}),
      ...(rigLimits ? { rigLimits } : {}),
      ...(raw.redact ? { redact: true } : {}),
      ...workersOption(raw),
    }, io);
    setExit(outcome.exitCode);
  });
  return command;
}
