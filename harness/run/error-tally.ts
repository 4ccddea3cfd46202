// Iteration errors by kind, with one sample message each: a failed iteration is counted,
// never the end of the run. A sample never holds a secret the stack's clients were handed
// (an OAuth2 token): those read [redacted], whatever a flow put in its message.
import { errorMessage } from '../../engine/errors.ts';
import { scrub } from '../../engine/secrets.ts';

export class ErrorTally {
  readonly #byKind = new Map<string, { count: number; sample: string }>();
  #total = 0;
  #secrets: () => Iterable<string> = () => [];

  /** Secrets to scrub from every sample from now on (the stack's tokens). */
  redact(secrets: () => Iterable<string>): void {
    this.#secrets = secrets;
  }

  /** `count` errors like `error` (a worker thread's batch folds alike ones). */
  add(error: unknown, count = 1): void {
    this.#total += count;
    const kind = errorKind(error);
    const entry = this.#byKind.get(kind);
    if (entry) entry.count += count;
    else this.#byKind.set(kind, { count, sample: scrub(errorMessage(error), this.#secrets()).slice(0, 300) });
  }

  get total(): number {
    return this.#total;
  }

  list(): { kind: string; count: number; sample: string }[] {
    return [...this.#byKind].map(([kind, e]) => ({ kind, ...e })).sort((a, b) => b.count - a.count);
  }
}

/** Reply code when the error carries one (smtp 451, imap NO ...), else its class name. */
function errorKind(error: unknown): string {
  if (error && typeof error === 'object') {
    const e = error as { responseCode?: unknown; code?: unknown; name?: unknown };
    if (typeof e.responseCode === 'number') return `reply ${e.responseCode}`;
    if (typeof e.code === 'string' && e.code) return e.code;
    if (typeof e.name === 'string' && e.name) return e.name;
  }
  return typeof error;
}
