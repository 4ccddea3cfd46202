// What every CLI command is given: where it writes, and how it sets the process's exit code.
// Its own file so commands and program.ts both import it without an import circle.

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export interface CommandContext {
  io: CliIo;
  /** Receives the command's exit code (0 passed, 1 gate failed, 2 bad input, 3 stack error, 4 inconclusive). */
  setExit(code: number): void;
}

export const processIo: CliIo = { stdout: process.stdout, stderr: process.stderr };

/** For a command run on its own program (tests, fixtures): the process's streams and exit code. */
export function processContext(): CommandContext {
  return { io: processIo, setExit: (code) => { process.exitCode = code; } };
}
