// After the load: wait until every expected delivery arrived or bounced, or the drain
// timeout passed (then reconcile counts the rest as lost).
import type { Clock } from '../clock.ts';
import type { Ledger } from './types.ts';

export async function drainLedger(ledger: Ledger, clock: Clock, timeoutMs: number, signal: AbortSignal): Promise<{ drained: boolean; waitedMs: number }> {
  const start = clock.now();
  const pollMs = 100;
  // Bounded by count as well as by time, in case the clock does not move.
  const maxPolls = Math.ceil(timeoutMs / pollMs) + 1;
  for (let i = 0; i < maxPolls && !signal.aborted; i++) {
    if (ledger.outstanding() === 0) return { drained: true, waitedMs: clock.now() - start };
    if (clock.now() - start >= timeoutMs) break;
    try {
      await clock.sleep(pollMs, signal);
    } catch {
      break;
    }
  }
  return { drained: ledger.outstanding() === 0, waitedMs: clock.now() - start };
}
