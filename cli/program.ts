// The mailstorm command: commander wiring and the mapping from errors to exit codes.
// 0 gates passed, 1 a gate failed, 2 bad input, 3 the stack or harness broke.
import { Command, CommanderError } from 'commander';
import { InputError, StackError, errorMessage } from '../engine/errors.ts';
import { EXIT } from '../harness/run/exit-code.ts';
import { VERSION } from './version.ts';
import { processIo, type CliIo, type CommandContext } from './io.ts';
import { listCommand } from './commands/list.ts';
import { runCommand } from './commands/run.ts';
import { planCommand } from './commands/plan.ts';
import { suiteCommand } from './commands/suite.ts';
import { capacityCommand } from './commands/capacity.ts';
import { exportCommand } from './commands/export-k6.ts';
import { importCommand } from './commands/import-k6.ts';
import { chaosCommand } from './commands/chaos-clean.ts';
import { compareCommand } from './commands/compare.ts';
import { imagesCommand } from './commands/images.ts';
import { stackCommand } from './commands/stack.ts';
import { fakesCommand } from './commands/fakes.ts';

export type { CliIo } from './io.ts';

/** Every top-level command, in help order; each is built the same way from the context. */
const COMMANDS: readonly ((cli: CommandContext) => Command)[] = [
  listCommand, planCommand, runCommand, suiteCommand, capacityCommand, exportCommand, importCommand, chaosCommand,
  compareCommand, imagesCommand, stackCommand, fakesCommand,
];

export function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('mailstorm')
    .description('Load and chaos testing for e-mail platforms: replays real incidents against a mail stack and says, with evidence, whether it survived.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride();
  const cli: CommandContext = { io, setExit };
  // Each command takes the program's output, exit override and usage hint, as a
  // program.command() subcommand would.
  for (const make of COMMANDS) program.addCommand(make(cli).copyInheritedSettings(program));
  return program;
}

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end with code 0; every usage error is bad input.
      if (error.exitCode === 0) return 0;
      // commander.help (no command given) prints help to stderr and "fails"
      return EXIT.input;
    }
    if (error instanceof InputError) {
      io.stderr.write(`mailstorm: ${error.message}\n`);
      return EXIT.input;
    }
    if (error instanceof StackError) {
      io.stderr.write(`mailstorm: stack error: ${error.message}\n`);
      return EXIT.harness;
    }
    io.stderr.write(`mailstorm: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : errorMessage(error)}\n`);
    return EXIT.harness;
  }
}
