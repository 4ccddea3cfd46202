// The MTA's delivery target when mail goes to the ledger sink in process: the same accounting
// as the sink's SMTP side, without a network hop per delivery (a 1.2 M fan-out stays fast).
// The MTA read the ledger id and Message-ID when it accepted the message; they are used as
// queued, never parsed again per recipient.
import type { DeliveryTarget } from '../smtp/types.ts';
import type { ArrivalRecorder } from './arrival-recorder.ts';

export function sinkTarget(recorder: ArrivalRecorder): DeliveryTarget {
  return {
    name: 'sink',
    deliver(recipient, message) {
      recorder.recordMessage(message.ledgerId ?? '', message.messageId, [recipient]);
    },
  };
}
