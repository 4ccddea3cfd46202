// Abortable waits for toxics: a closed connection must never leave a timer running.
import { realSleep } from '../../../engine/clock.ts';

/** Sleeps `ms` (may be fractional or <= 0); resolves false instead of throwing when the link closed. */
export async function waitFor(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  if (ms <= 0) return true;
  try {
    await realSleep(ms, signal);
    return true;
  } catch {
    return false;
  }
}
