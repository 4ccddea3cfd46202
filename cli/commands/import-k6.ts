// mailstorm import k6 <runner-summary.json>...: the runners of one k6 run (k6-operator or
// several `k6 run --execution-segment`) merged into one result.json, judged once, with
// report.html, junit.xml and report.md. Plain k6 summaries (--summary-export) are accepted
// too, merged only where that is exact. Exit codes as `run`: 0 pass, 1 fail, 2 bad input,
// 4 nothing could be judged.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { InputError, errorMessage } from '../../engine/errors.ts';
import { MultiReporter } from '../../harness/multiplex.ts';
import { exitCodeFor } from '../../harness/run/exit-code.ts';
import { resolveOutDir } from '../../harness/run/run-id.ts';
import { importK6 } from '../../k6/import-k6.ts';
import { defaultReporters } from '../../reports/default-reporters.ts';
import { builtIns } from '../../scenarios/index.ts';
import { VERSION } from '../version.ts';
import type { CommandContext } from '../io.ts';

async function readSummary(file: string): Promise<{ file: string; text: string; mtimeMs: number }> {
  try {
    const [text, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
    return { file, text, mtimeMs: info.mtimeMs };
  } catch (error) {
    throw new InputError(`${file}: cannot read the runner summary (${errorMessage(error)})`);
  }
}

/** The scenario a summary names, for its description; a bad file is reported by importK6. */
function scenarioNameIn(text: string): string {
  try {
    const name = (JSON.parse(text) as { mailstorm?: { scenario?: unknown } }).mailstorm?.scenario;
    return typeof name === 'string' ? name : '';
  } catch {
    return '';
  }
}

async function scenarioInfo(name: string): Promise<{ description: string; incident: string; file: string } | undefined> {
  if (!builtIns.names().includes(name)) return undefined;
  const d = await builtIns.load(name);
  return { description: d.description, incident: d.incident, file: `built-in:${name}` };
}

export function importCommand({ io, setExit }: CommandContext): Command {
  const group = new Command('import').description('judge a run made by another load engine');
  group
    .command('k6')
    .description('merge the mailstorm-summary.json files of a k6 run\'s runners exactly and judge the scenario\'s gates once (plain k6 --summary-export files: only what adds up exactly)')
    .argument('<summaries...>', 'mailstorm-summary.json of each runner (one per execution segment), or plain k6 summaries')
    .option('--out <dir>', 'output folder (default results/<run-id>)')
    .option('--quiet', 'only the brief summary')
    .action(async (files: string[], opts: { out?: string; quiet?: boolean }) => {
      const inputs = await Promise.all(files.map(readSummary));
      const result = importK6({
        files: inputs,
        version: VERSION,
        command: ['mailstorm import k6', ...files, ...(opts.out !== undefined ? ['--out', opts.out] : [])].join(' '),
        scenarioInfo: await scenarioInfo(scenarioNameIn(inputs[0]?.text ?? '')),
      });
      const outDir = resolveOutDir(result.runId, opts.out);
      const reporters = new MultiReporter(defaultReporters({ quiet: opts.quiet === true, stdout: io.stdout, stderr: io.stderr }), (f) => io.stderr.write(`mailstorm: a report writer failed (${f.hook}): ${f.message}\n`));
      await reporters.onBegin({ runId: result.runId, scenario: result.scenario.name, outDir, plannedMs: result.durationMs });
      await reporters.onEnd(result, outDir);
      const plain = result.figures['k6_summaries'] !== undefined;
      // the note on what could not be merged, even with --quiet
      if (plain) io.stderr.write(`mailstorm: ${result.reason}\n`);
      io.stderr.write(`mailstorm: merged ${files.length} ${plain ? 'plain k6' : 'runner'} summar${files.length === 1 ? 'y' : 'ies'} into ${path.join(outDir, 'result.json')}\n`);
      setExit(exitCodeFor(result.verdict));
    });
  return group;
}
