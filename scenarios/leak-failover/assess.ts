// Reads the run's own record (fault events, the alarm, what the standby accepted) and
// answers the replay's questions: when did the leak start and the primary die, how long
// before the death did the alarm fire, and how long until the standby took mail.
import type { RunEvent } from '../../engine/events.ts';

/** Acceptances by the standby, in ms since the run started (the EventLog's time base). */
export class StandbyAcceptances {
  static readonly MAX_KEPT = 100_000;
  readonly times: number[] = [];
  #total = 0;

  record(runMs: number): void {
    this.#total++;
    if (this.times.length < StandbyAcceptances.MAX_KEPT) this.times.push(runMs);
  }

  get total(): number {
    return this.#total;
  }
}

export interface Assessment {
  /** first toxic added to the primary's proxy (the faulty upgrade) */
  leakStartedAtMs?: number;
  /** the primary's proxy disabled (the hard failure) */
  failedAtMs?: number;
  /** `degradation_detected` */
  detectedAtMs?: number;
  /** failedAt - detectedAt, seconds; negative when the alarm came after the failure */
  leadSeconds?: number;
  /** failedAt to the first message the standby accepted at or after it, seconds */
  failoverSeconds?: number;
  standbyAcceptsAfterFailure: number;
  /** how long the load ran after the failure, seconds */
  watchedAfterFailureSeconds?: number;
}

export function assess(events: readonly RunEvent[], primaryProxy: string, standby: readonly number[], loadEndedAtMs: number): Assessment {
  const faults = events.filter((e) => e.type === 'fault' && e['target'] === primaryProxy);
  const leakStartedAtMs = faults.find((e) => e['action'] === 'add')?.t;
  const failedAtMs = faults.find((e) => e['action'] === 'disable')?.t;
  const detectedAtMs = events.find((e) => e.type === 'degradation_detected')?.t;
  const a: Assessment = { standbyAcceptsAfterFailure: 0 };
  if (leakStartedAtMs !== undefined) a.leakStartedAtMs = leakStartedAtMs;
  if (detectedAtMs !== undefined) a.detectedAtMs = detectedAtMs;
  if (failedAtMs === undefined) return a;
  a.failedAtMs = failedAtMs;
  a.watchedAfterFailureSeconds = Math.max(0, loadEndedAtMs - failedAtMs) / 1000;
  if (detectedAtMs !== undefined) a.leadSeconds = (failedAtMs - detectedAtMs) / 1000;
  let first: number | undefined;
  for (const t of standby) {
    if (t < failedAtMs) continue;
    a.standbyAcceptsAfterFailure++;
    if (first === undefined || t < first) first = t;
  }
  if (first !== undefined) a.failoverSeconds = (first - failedAtMs) / 1000;
  return a;
}
