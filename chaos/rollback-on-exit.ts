// Rolls chaos back when the process is told to stop (Ctrl-C in a terminal, SIGTERM from CI),
// so a shared Toxiproxy is never left with this run's toxics or disabled proxies.
import { errorMessage } from '../engine/errors.ts';

export interface SignalSource {
  once(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

export interface RollbackOnExitOptions {
  signals?: NodeJS.Signals[];
  /** Default: the process. */
  source?: SignalSource;
  /** Longest wait for the rollback before giving up; default 10 s. */
  timeoutMs?: number;
  /** Called after the rollback (or its failure); default exits with 128 + signal number. */
  onDone?: (signal: NodeJS.Signals, error?: unknown) => void;
}

const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 };

/** Installs the handlers; returns a function that removes them (call it after a normal rollback). */
export function rollbackOnExit(rollback: () => Promise<void>, options: RollbackOnExitOptions = {}): () => void {
  const source = options.source ?? process;
  const signals = options.signals ?? ['SIGINT', 'SIGTERM'];
  const onDone = options.onDone ?? ((signal, error) => {
    if (error) process.stderr.write(`chaos rollback failed: ${errorMessage(error)}\n`);
    process.exit(128 + (SIGNAL_NUMBERS[signal] ?? 0));
  });
  const handler = (signal: NodeJS.Signals) => {
    remove();
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`rollback took longer than ${options.timeoutMs ?? 10_000} ms`)), options.timeoutMs ?? 10_000);
    });
    Promise.race([rollback(), limit]).then(
      () => (clearTimeout(timer), onDone(signal)),
      (error: unknown) => (clearTimeout(timer), onDone(signal, error)),
    );
  };
  const remove = () => {
    for (const s of signals) source.off(s, handler);
  };
  for (const s of signals) source.once(s, handler);
  return remove;
}
