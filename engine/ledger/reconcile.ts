// Walks the ledger's typed arrays once and tallies each flow. delivered = arrived at least once
// (duplicated and late are subsets of it); expected = delivered + bounced + queued + lost.
// deliveredAfterFailure is counted apart (memory-ledger.ts): those messages were never expected.
// A final tally counts a missing delivery to an unverifiable mailbox as unverified, not lost.
import type { LedgerFlowSummary } from './types.ts';

// per-delivery state byte
export const COUNT_MASK = 0b11; // arrivals, saturating at 3
export const BOUNCED = 0b100;
export const LATE = 0b1000;

export interface TallyInput {
  messages: number;
  start: Int32Array;
  count: Int32Array;
  flow: Int32Array;
  state: Uint8Array;
  flowNames: readonly string[];
  final: boolean;
  /** per-delivery recipient ids, and the ids whose mailboxes could not be read */
  rcpt: Int32Array;
  unverified: ReadonlySet<number>;
  lostSample: (message: number, slot: number) => string;
}

export function tallyFlows(input: TallyInput): { byFlow: Record<string, LedgerFlowSummary>; lostSamples: string[] } {
  const byFlow: Record<string, LedgerFlowSummary> = {};
  const lostSamples: string[] = [];
  const withUnverified = input.unverified.size > 0;
  for (const name of input.flowNames) byFlow[name] = { expected: 0, delivered: 0, lost: 0, duplicated: 0, queued: 0, bounced: 0, late: 0, deliveredAfterFailure: 0, ...(withUnverified && { unverified: 0 }) };
  for (let m = 0; m < input.messages; m++) {
    const summary = byFlow[input.flowNames[input.flow[m] as number] as string] as LedgerFlowSummary;
    const start = input.start[m] as number;
    const end = start + (input.count[m] as number);
    summary.expected += end - start;
    for (let slot = start; slot < end; slot++) {
      const s = input.state[slot] as number;
      const arrivals = s & COUNT_MASK;
      if (arrivals > 0) {
        summary.delivered++;
        if (arrivals > 1) summary.duplicated++;
        if (s & LATE) summary.late++;
      } else if (s & BOUNCED) summary.bounced++;
      else if (input.final && withUnverified && input.unverified.has(input.rcpt[slot] as number)) summary.unverified = (summary.unverified ?? 0) + 1;
      else if (input.final) {
        summary.lost++;
        if (lostSamples.length < 5) lostSamples.push(input.lostSample(m, slot));
      } else summary.queued++;
    }
  }
  return { byFlow, lostSamples };
}
