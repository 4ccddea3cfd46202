// The mailstorm command: commander wiring and the mapping from errors to exit codes.
// 0 gates passed, 1 a gate failed, 2 bad input, 3 the stack or harness broke.
import { Command, CommanderError } from 'commander';
import { InputError, StackError, errorMessage } from '../engine/errors.ts';
import { EXIT } from '../harness/run/exit-code.ts';
import { VERSION } from './version.ts';
import { listCommand } from './commands/list.ts';
import { runCommand } from './commands/run.ts';
import { suiteCommand } from './commands/suite.ts';
import { capacityCommand } from './commands/capacity.ts';
import { exportCommand } from './commands/export-k6.ts';
import { importCommand } from './commands/import-k6.ts';
import { chaosCommand } from './commands/chaos-clean.ts';
import { registerCompareCommand } from './compare-command.ts';
import { registerImagesCommand } from './images-command.ts';
import { registerStackCommand } from './stack-command.ts';
import { registerFakesCommand } from './fakes-command.ts';

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('mailstorm')
    .description('Load and chaos testing for e-mail platforms: replays real incidents against a mail stack and says, with evidence, whether it survived.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride();
  program.addCommand(listCommand(io));
  program.addCommand(runCommand(io, setExit));
  program.addCommand(suiteCommand(io, setExit));
  program.addCommand(capacityCommand(io, setExit));
  program.addCommand(exportCommand(io));
  program.addCommand(importCommand(io, setExit));
  program.addCommand(chaosCommand(io));
  registerCompareCommand(program, { stdout: io.stdout, stderr: io.stderr, setExit });
  registerImagesCommand(program, io);
  registerStackCommand(program, io);
  registerFakesCommand(program, io);
  for (const command of program.commands) command.exitOverride().configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  return program;
}

export async function main(argv: readonly string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
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
