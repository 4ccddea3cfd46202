// mailstorm list [--verbose | --markdown]: the built-in scenarios, and with --verbose their parameters.
import { Command } from 'commander';
import { loadAllBuiltIns } from '../../scenarios/index.ts';
import { describeParams } from '../../harness/scenario/params.ts';
import { suites } from '../../scenarios/suites.ts';
import type { CommandContext } from '../io.ts';
import { paramsMarkdown } from '../params-markdown.ts';

export function listCommand(cli: CommandContext): Command {
  const { io } = cli;
  return new Command('list')
    .description('list built-in scenarios and suites')
    .option('-v, --verbose', 'also list each scenario\'s parameters with defaults and descriptions')
    .option('--markdown', 'print every scenario\'s parameters as Markdown tables (the README\'s reference)')
    .action(async (opts: { verbose?: boolean; markdown?: boolean }) => {
      const { scenarios, failures } = await loadAllBuiltIns();
      if (opts.markdown) {
        io.stdout.write(paramsMarkdown(scenarios));
        for (const f of failures) io.stderr.write(`mailstorm: warning: ${f.message}\n`);
        return;
      }
      const out: string[] = ['scenarios:'];
      for (const s of scenarios) {
        out.push(`  ${s.name}  ${s.description}`);
        out.push(`      incident: ${s.incident}`);
        if (!opts.verbose) continue;
        for (const p of describeParams(s.params)) {
          const type = p.kind === 'enum' ? (p.values ?? []).join('|') : p.kind;
          const def = p.default === undefined ? '' : ` = ${JSON.stringify(p.default)}`;
          out.push(`      --set ${p.key}=<${type}>${def}${p.description ? `  ${p.description}` : ''}`);
        }
      }
      out.push('', 'suites:');
      for (const suite of suites) {
        out.push(`  ${suite.name}  ${suite.description}`);
        if (opts.verbose) out.push(`      runs: ${suite.entries.map((e) => [e.scenario, ...(e.set ?? [])].join(' ')).join('; ')}`);
      }
      io.stdout.write(`${out.join('\n')}\n`);
      for (const f of failures) io.stderr.write(`mailstorm: warning: ${f.message}\n`);
    });
}
