// mailstorm capacity <scenario>: steps the scenario's declared load parameter until a step
// breaks, then writes capacity.json, capacity.html and capacity.md with the knee, the USL
// fit and headroom in the incidents' terms. Each step is an ordinary run in steps/.
import path from 'node:path';
import { mkdir, writeFile } from 'node:fs/promises';
import { Command, InvalidArgumentError } from 'commander';
import { parseThresholds } from '../../engine/thresholds/index.ts';
import { loadScenario } from '../../harness/scenario/load.ts';
import { makeRunId, resolveOutDir } from '../../harness/run/run-id.ts';
import { prepareRun } from '../../harness/run/prepare.ts';
import { enforceCaps } from '../../harness/plan/caps.ts';
import { EXIT } from '../../harness/run/exit-code.ts';
import { builtIns } from '../../scenarios/index.ts';
import { defaultReporters } from '../../reports/default-reporters.ts';
import { renderCapacityHtml } from '../../reports/capacity/render-capacity-html.ts';
import { renderCapacityMarkdown } from '../../reports/capacity/render-capacity-md.ts';
import { capacityOf, stepScenario } from '../../capacity/step-scenario.ts';
import { runCapacity } from '../../capacity/run-steps.ts';
import type { StepMeasurement } from '../../capacity/types.ts';
import { loadProvider } from '../../stack/index.ts';
import { VERSION } from '../version.ts';
import { addRunOptions, reproduceCommand, resolveRigLimitOptions, workersOption, resolveStack, type RawRunOptions } from '../run-options.ts';
import type { CommandContext } from '../io.ts';
import { redactSetPairs } from '../../harness/scenario/params.ts';

interface CapacityOptions extends RawRunOptions {
  steps?: number[];
  slo?: string;
}

function stepList(value: string): number[] {
  const steps = value.split(',').map((s) => Number(s.trim()));
  if (steps.length === 0 || steps.some((n) => !Number.isFinite(n) || n <= 0)) throw new InvalidArgumentError('--steps takes load levels > 0 separated by commas, e.g. 10,20,40,80');
  for (let i = 1; i < steps.length; i++) if (steps[i]! <= steps[i - 1]!) throw new InvalidArgumentError('--steps must rise: each level larger than the one before');
  return steps;
}

function stepLine(step: StepMeasurement, index: number, total: number, param: string): string {
  const f = (n: number | null) => (n === null ? '—' : n.toFixed(1));
  return `capacity: step ${index + 1}/${total} ${param}=${step.level}: offered ${f(step.offered)}/s, achieved ${f(step.achieved)}/s, p99 ${f(step.latency.p99)} ms, queue ${f(step.queueGrowthPerSec)}/s -> ${step.assessment} (${step.note})${step.resources ? `; ${step.resources.note}` : ''}\n`;
}

export function capacityCommand(cli: CommandContext): Command {
  const { io, setExit } = cli;
  const command = new Command('capacity')
    .description('step a scenario\'s load (users for user-day, rate for smoke) until the stack saturates or its SLO breaks; report the knee, a Universal Scalability Law fit and headroom')
    .argument('<scenario>', 'a built-in scenario that declares capacity (user-day, smoke) or a scenario file')
    .option('--steps <levels>', 'load levels of the stepped parameter, rising, comma separated (default: the scenario\'s own)', stepList)
    .option('--slo <expression>', 'latency SLO on the scenario\'s latency trend, a k6 threshold expression (default: the scenario\'s own, e.g. p(99)<2000)');
  addRunOptions(command).action(async (ref: string, raw: CapacityOptions) => {
    const loaded = await loadScenario(ref, builtIns);
    const declaration = capacityOf(loaded.definition);
    const slo = raw.slo ?? declaration.slo;
    parseThresholds({ [declaration.latency]: [slo] });
    const steps = raw.steps ?? declaration.steps;
    const definition = stepScenario(loaded.definition, declaration.latency, slo);
    const scenario = { ...loaded, definition };
    const stack = await resolveStack(raw);
    const rigLimits = resolveRigLimitOptions(raw);
    const overridesAt = (level: number) => ({ set: [...raw.set, `${declaration.param}=${level}`], ...(raw.scale !== undefined ? { scale: raw.scale } : {}), ...(raw.duration !== undefined ? { duration: raw.duration } : {}) });
    // Every step is validated before the first one starts, so a bad level fails in seconds.
    const plans = new Map(steps.map((level) => [level, prepareRun(definition, overridesAt(level))]));
    // A remote platform's caps are checked for every step before the first one sends.
    for (const plan of plans.values()) enforceCaps(plan, stack.kind, stack.config);
    const capacityId = makeRunId(`capacity-${loaded.definition.name}`);
    const outDir = resolveOutDir(capacityId, raw.out);
    const { executeRun } = await import('../execute-run.ts');
    let interruptedExit: number | undefined;
    const result = await runCapacity({
      scenario: loaded.definition.name, stack: stack.kind, declaration, steps, slo,
      paramsAt: (level) => plans.get(level)!.params as Record<string, unknown>,
      runStep: async (level, index) => {
        const dir = path.join('steps', `${String(index + 1).padStart(2, '0')}-${declaration.param}-${level}`);
        const overrides = overridesAt(level);
        const outcome = await executeRun({
          scenario, overrides, seed: raw.seed, stackKind: stack.kind, provider: () => loadProvider(stack.kind),
          ...(stack.config ? { config: stack.config } : {}),
          runId: makeRunId(loaded.definition.name), outDir: path.join(outDir, dir), command: reproduceCommand(ref, raw, redactSetPairs(loaded.definition.params, overrides.set ?? [])), version: VERSION,
          reporters: defaultReporters({ quiet: true, stdout: io.stdout, stderr: io.stderr }),
          ...(rigLimits ? { rigLimits } : {}),
        ...(raw.redact ? { redact: true } : {}),
          ...workersOption(raw),
        }, io);
        if (outcome.interrupted) interruptedExit = outcome.exitCode;
        return { result: outcome.result, dir, interrupted: outcome.interrupted };
      },
      onStep: (step, index, total) => { if (raw.quiet !== true) io.stderr.write(stepLine(step, index, total, declaration.param)); },
    });
    await mkdir(outDir, { recursive: true });
    await writeFile(path.join(outDir, 'capacity.json'), `${JSON.stringify(result, null, 2)}\n`);
    await writeFile(path.join(outDir, 'capacity.html'), renderCapacityHtml(result));
    await writeFile(path.join(outDir, 'capacity.md'), renderCapacityMarkdown(result));
    const knee = result.knee ? `knee at ${declaration.param}=${result.knee.level} (${result.knee.achieved.toFixed(1)}/s)${result.knee.undrivenAbove ? ` or more (${declaration.param}=${result.knee.undrivenAbove.join(',')} above it inconclusive)` : ''}` : (result.kneeNote ?? 'no knee: no step kept up');
    io.stdout.write(`capacity ${loaded.definition.name}: ${knee}; ${result.fit ? `USL peak ${result.fit.peakThroughput.toFixed(1)}/s at N*=${result.fit.nStar.toFixed(0)}` : result.fitNote} -> ${outDir}\n`);
    // An interrupted capacity run still wrote what it measured; its exit code says it was cut.
    // No knee because the harness could not drive some steps says nothing about the stack.
    const undriven = result.steps.some((s) => s.assessment === 'inconclusive');
    setExit(interruptedExit ?? (result.knee ? EXIT.pass : undriven ? EXIT.inconclusive : EXIT.gateFailed));
  });
  return command;
}
