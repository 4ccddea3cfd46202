// Turns a delivered message's headers into ledger arrivals, one per envelope recipient.
// Used by the sink's SMTP/LMTP server and, in process, by the embedded MTA's "sink" target.
import type { Clock } from '../../engine/clock.ts';
import { LEDGER_HEADER, type Ledger } from '../../engine/ledger/types.ts';
import type { MetricsSink } from '../../engine/metrics/types.ts';
import { declareAll } from '../../engine/metrics/declare.ts';

export class ArrivalRecorder {
  #arrivals = 0;

  constructor(
    private readonly ledger: Ledger,
    private readonly clock: Clock,
    private readonly store = 'sink',
    private readonly metrics?: MetricsSink,
  ) {
    if (metrics) declareAll(metrics, { 'sink.arrivals': { kind: 'counter', unit: 'count', label: 'deliveries the sink received', topic: 'throughput', worse: 'lower' } });
  }

  get arrivals(): number {
    return this.#arrivals;
  }

  record(headers: ReadonlyMap<string, string>, recipients: readonly string[]): void {
    this.recordMessage(headers.get(LEDGER_HEADER.toLowerCase()) ?? '', headers.get('message-id'), recipients);
  }

  /** For a message whose ledger id is already known (the MTA read it at acceptance). */
  recordMessage(id: string, messageId: string | undefined, recipients: readonly string[]): void {
    const at = this.clock.now();
    for (const recipient of recipients) {
      this.ledger.arrived({ id, recipient, at, store: this.store, ...(messageId !== undefined && { messageId }) });
      this.#arrivals++;
    }
    this.metrics?.count('sink.arrivals', recipients.length, { store: this.store });
  }
}
