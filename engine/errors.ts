// Error classes that decide the CLI's exit code, so CI can tell
// "the candidate failed" (1) from "bad input" (2) from "the rig broke" (3).

/** Bad input from the user: unknown scenario, bad --set value, bad config, bad fault. Exit 2. */
export class InputError extends Error {
  override readonly name = 'InputError';
  readonly exitCode = 2;
}

/** The stack under test or the harness itself broke. Exit 3. */
export class StackError extends Error {
  override readonly name = 'StackError';
  readonly exitCode = 3;
}

/** An error carrying an SMTP/IMAP/HTTP reply code, thrown by policy classes (lockout, quota, storm protection). */
export function replyError(message: string, responseCode: number): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode });
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
