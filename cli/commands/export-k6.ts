// mailstorm export k6 <scenario|file>: the scenario's load as a k6 script (and k6-operator manifests).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { InputError } from '../../engine/errors.ts';
import { loadScenario } from '../../harness/scenario/load.ts';
import { resolveParams, secretKeys } from '../../harness/scenario/params.ts';
import { builtIns } from '../../scenarios/index.ts';
import { exportK6 } from '../../k6/export.ts';
import type { CommandContext } from '../io.ts';

interface ExportOptions {
  set: string[];
  scale?: string;
  out: string;
  flows?: string;
  k6Operator?: boolean;
  parallelism?: string;
  runnerImage?: string;
  tls?: string;
  auth?: string;
}

export function exportCommand(cli: CommandContext): Command {
  const { io } = cli;
  const exportGroup = new Command('export').description('export a scenario to another load engine');
  exportGroup
    .command('k6')
    .description('write the scenario\'s load as a k6 script (script.ts, script.js, README.md)')
    .argument('<scenario>', 'built-in scenario name or scenario file')
    .option('--set <key=value>', 'scenario parameter (repeatable)', (v: string, all: string[]) => [...all, v], [])
    .option('--scale <n>', 'scale factor for the scenario\'s volumes')
    .option('--out <dir>', 'output folder', 'k6-export')
    .option('--flows <a,b>', 'export only these flows (exec names)')
    .option('--k6-operator', 'also write configmap.yaml and testrun.yaml for k6-operator')
    .option('--parallelism <n>', 'k6-operator runners (with --k6-operator)')
    .option('--runner-image <image>', 'runner image with xk6-tcp built in (with --k6-operator)')
    .option('--tls <mode>', 'SMTP/IMAP TLS by default: none or implicit (465/993); starttls is refused (xk6-tcp cannot upgrade a socket)')
    .option('--auth <mode>', 'logins by default: password, or oauth2 (SASL XOAUTH2 with a token from the accounts file or OAUTH2_TOKEN, read at run time)')
    .action(async (ref: string, opts: ExportOptions) => {
      const scenario = await loadScenario(ref, builtIns);
      const scale = opts.scale === undefined ? undefined : Number(opts.scale);
      const { params } = resolveParams(scenario.definition, { set: opts.set, ...(scale !== undefined ? { scale } : {}) });
      // the script carries its parameters in the clear, so a secret set here would be written out
      const secretSet = opts.set.map((pair) => pair.split('=')[0]!.trim()).filter((key) => secretKeys(scenario.definition.params).includes(key));
      if (secretSet.length) throw new InputError(`--set ${secretSet.join(', ')}: a secret parameter; an exported k6 script would hold it in the clear, so export without it`);
      if (!opts.k6Operator && (opts.parallelism !== undefined || opts.runnerImage !== undefined)) throw new InputError('--parallelism and --runner-image need --k6-operator');
      const parallelism = Number(opts.parallelism ?? '1');
      if (!Number.isInteger(parallelism) || parallelism < 1) throw new InputError(`--parallelism must be a whole number >= 1, got "${opts.parallelism}"`);
      const out = await exportK6({
        definition: scenario.definition,
        params: params as Record<string, unknown>,
        ...(opts.flows !== undefined ? { flows: opts.flows.split(',').map((f) => f.trim()).filter((f) => f !== '') } : {}),
        ...(opts.tls !== undefined ? { tls: opts.tls } : {}),
        ...(opts.auth !== undefined ? { auth: opts.auth } : {}),
        ...(opts.k6Operator ? { operator: { parallelism, ...(opts.runnerImage !== undefined ? { runnerImage: opts.runnerImage } : {}) } } : {}),
      });
      await mkdir(opts.out, { recursive: true });
      for (const [name, text] of Object.entries(out.files)) await writeFile(path.join(opts.out, name), text);
      for (const note of out.notes) io.stderr.write(`mailstorm: ${note}\n`);
      io.stdout.write(`wrote ${Object.keys(out.files).map((f) => path.join(opts.out, f)).join(', ')}\n`);
    });
  return exportGroup;
}
