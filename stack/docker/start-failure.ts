// Why a mail container did not start, in the entrypoint's own words: it names what it could
// not do (a Dovecot configuration that does not parse, with Dovecot's message; a bad
// setting), so the stack error says that instead of "log stream ended" or "port not listening".
import { StackError, errorMessage } from '../../engine/errors.ts';

/** Lines the entrypoint writes when it gives up, and Dovecot/Postfix fatal lines. */
const TELLING = /mailstorm-entrypoint: |\bFatal: |\bfatal: /;

/** Keeps the telling lines of a container's log while it starts (testcontainers removes a container that failed its wait). */
export class StartLog {
  readonly #said: string[] = [];

  line(line: string): void {
    if (TELLING.test(line) && !line.includes('mailstorm-entrypoint: started') && this.#said.length < 20) this.#said.push(line.trim());
  }

  /** Lets the log stream deliver its last lines, then names the failure. */
  async failure(role: string, image: string, error: unknown): Promise<StackError> {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const why = this.#said.length > 0 ? [...new Set(this.#said)].slice(0, 5).join('\n') : errorMessage(error);
    return new StackError(`the ${role} container (${image}) did not start: ${why}`);
  }
}
