// The ledger seen from a worker thread: the run's one ledger lives on the main thread, so a
// worker's SMTP client writes its attempts, expectations and failures into a batch that the
// main thread applies in order. Arrivals already wait for a late expect (early-events.ts),
// so a batch that lands after the stack delivered loses nothing.
import type { Arrival, AttemptedMessage, ExpectedMessage, Ledger, LedgerSummary } from './types.ts';

export type LedgerOp =
  | ['a', string, string]
  | ['e', string, string, readonly string[], number]
  | ['f', string]
  | ['r', Arrival]
  | ['b', string, string, string, number]
  | ['u', string, string];

export class RelayLedger implements Ledger {
  #ops: LedgerOp[] = [];

  attempt(message: AttemptedMessage): void { this.#ops.push(['a', message.id, message.flow]); }
  expect(message: ExpectedMessage): void { this.#ops.push(['e', message.id, message.flow, message.recipients, message.acceptedAt]); }
  failed(id: string): void { this.#ops.push(['f', id]); }
  arrived(arrival: Arrival): void { this.#ops.push(['r', arrival]); }
  bounced(id: string, recipient: string, reason: string, at: number): void { this.#ops.push(['b', id, recipient, reason, at]); }
  unverified(recipient: string, reason: string): void { this.#ops.push(['u', recipient, reason]); }

  outstanding(): number {
    throw new Error('ctx.ledger.outstanding() is main-thread-only: a flow in a worker thread cannot read the run\'s ledger');
  }

  outstandingByRecipient(): Map<string, number> {
    throw new Error('ctx.ledger.outstandingByRecipient() is main-thread-only: a flow in a worker thread cannot read the run\'s ledger');
  }

  reconcile(): LedgerSummary {
    throw new Error('ctx.ledger.reconcile() is main-thread-only: the run reconciles its ledger once, on the main thread');
  }

  /** The operations since the last drain, in the order they happened. */
  drain(): LedgerOp[] {
    const ops = this.#ops;
    this.#ops = [];
    return ops;
  }
}

/**
 * Applies a worker's batch to the run's ledger. A worker has no directory, so its expected
 * recipients are the addresses the stack accepted; lists are expanded here, as the main
 * thread's SMTP client does (one list keeps the directory's shared member array).
 */
export function applyLedgerOps(ledger: Ledger, ops: readonly LedgerOp[], expand?: (address: string) => readonly string[] | undefined): void {
  for (const op of ops) {
    switch (op[0]) {
      case 'a': ledger.attempt({ id: op[1], flow: op[2] }); break;
      case 'e': {
        const accepted = op[3];
        const recipients = !expand ? accepted : accepted.length === 1 ? (expand(accepted[0] as string) ?? accepted) : accepted.flatMap((a) => expand(a) ?? [a]);
        ledger.expect({ id: op[1], flow: op[2], recipients, acceptedAt: op[4] });
        break;
      }
      case 'f': ledger.failed(op[1]); break;
      case 'r': ledger.arrived(op[1]); break;
      case 'b': ledger.bounced(op[1], op[2], op[3], op[4]); break;
      case 'u': ledger.unverified(op[1], op[2]); break;
    }
  }
}
