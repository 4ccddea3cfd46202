// After the load, on a stack that counts deliveries from Postfix's log: the ledger's own drain,
// then, if deliveries are still outstanding, Postfix's whole log file read again from inside
// each container. The live log stream passes through docker's log follower, which can fall
// behind or end under a storm's thousands of lines a second; the file is Postfix's own record,
// so mail it shows delivered is never called lost. What the second reading found is an event.
import type { Clock } from '../../engine/clock.ts';
import { drainLedger } from '../../engine/ledger/drain.ts';
import type { Ledger } from '../../engine/ledger/types.ts';
import type { EventLog } from '../../engine/events.ts';
import type { DeliveryCollector } from '../types.ts';
import type { StartedMailContainer } from './mail-container.ts';
import type { PostfixLogLedger } from './postfix-log-ledger.ts';

const POSTFIX_LOG = '/var/log/postfix.log';

export function postfixLogCollector(
  logLedgers: { container: StartedMailContainer; parser: PostfixLogLedger }[],
  ledger: Ledger,
  clock: Clock,
  events: EventLog,
): DeliveryCollector {
  return {
    async collect({ drainMs, signal }) {
      const drain = await drainLedger(ledger, clock, drainMs, signal);
      if (drain.drained || signal.aborted) return drain;
      for (const { container, parser } of logLedgers) {
        let text: string;
        try {
          text = await container.exec(['cat', POSTFIX_LOG]);
        } catch (error) {
          // a container that is gone keeps what the stream carried; the ledger says what is missing
          events.record('postfix_log_unread', { role: container.role, error: (error as Error).message });
          continue;
        }
        const recovered = parser.recover(text.split('\n'));
        if (recovered > 0) events.record('postfix_log_recovered', { role: container.role, deliveries: recovered, outstanding: ledger.outstanding() });
      }
      return { drained: ledger.outstanding() === 0, waitedMs: drain.waitedMs };
    },
  };
}
