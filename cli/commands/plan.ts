// mailstorm plan <scenario>: the load a run would send, per endpoint, and on a remote stack
// each endpoint's cap, computed from the scenario alone; nothing is started or contacted.
import { Command, Option } from 'commander';
import { InputError } from '../../engine/errors.ts';
import { loadScenario } from '../../harness/scenario/load.ts';
import { prepareRun } from '../../harness/run/prepare.ts';
import { planLoad } from '../../harness/plan/load-plan.ts';
import { capBreaches } from '../../harness/plan/caps.ts';
import { builtIns } from '../../scenarios/index.ts';
import { STACK_KINDS } from '../../stack/index.ts';
import { capOf, endpointNames, parseRemoteConfig } from '../../stack/remote/config.ts';
import { EXIT } from '../../harness/run/exit-code.ts';
import { resolveStack, type RawRunOptions } from '../run-options.ts';
import type { CommandContext } from '../io.ts';
import { planText, type PlanView } from '../plan-text.ts';

interface PlanOptions {
  stack: string;
  config?: string;
  set: string[];
  scale?: number;
  duration?: string;
  json?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function planCommand(cli: CommandContext): Command {
  const { io, setExit } = cli;
  return new Command('plan')
    .description('print the load a run would send per endpoint (peak messages/s and requests/s, connections, totals, duration) and, on a remote stack, its caps; sends nothing')
    .argument('<scenario>', 'built-in scenario name or scenario file')
    .addOption(new Option('--stack <kind>', 'stack the run would use').choices([...STACK_KINDS]).default('embedded'))
    .option('--config <file>', 'YAML settings of the docker or remote stack (a remote one\'s caps)')
    .option('--set <key=value>', 'set a scenario parameter (repeatable)', collect, [])
    .option('--scale <factor>', 'grow the scenario\'s volumes by this factor', Number)
    .option('--duration <duration>', 'set the scenario\'s duration parameter (e.g. 90s, 5m)')
    .option('--json', 'machine-readable output')
    .action(async (ref: string, raw: PlanOptions) => {
      const scenario = await loadScenario(ref, builtIns);
      const stack = await resolveStack({ ...raw, seed: 1, rigLimit: [] } satisfies RawRunOptions);
      if (stack.kind === 'remote' && !stack.config) throw new InputError('plan --stack remote needs --config: the caps and endpoints are in the config file');
      const plan = prepareRun(scenario.definition, { set: raw.set, ...(raw.scale !== undefined ? { scale: raw.scale } : {}), ...(raw.duration !== undefined ? { duration: raw.duration } : {}) });
      const load = planLoad(plan);
      const view: PlanView = { load, stack: stack.kind };
      if (stack.kind === 'remote' && stack.config) {
        const config = parseRemoteConfig(stack.config, `--config ${raw.config}`);
        const named = endpointNames(config);
        view.caps = Object.fromEntries(load.endpoints.map((e) => [e.endpoint, capOf(config, e.endpoint)]));
        view.unnamed = load.endpoints.map((e) => e.endpoint).filter((e) => !named.includes(e));
        view.breaches = capBreaches(load, config);
      }
      io.stdout.write(raw.json ? `${JSON.stringify(view, null, 2)}\n` : planText(view));
      setExit(view.breaches?.length ? EXIT.input : EXIT.pass);
    });
}
