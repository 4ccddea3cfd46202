// reset_peer (Toxiproxy 2.12 semantics): when data first arrives on the stream it is dropped,
// and `timeout` ms later (0 = at once) the connection is torn down with a TCP RST
// ("connection reset by peer"). Later data is dropped too. When the source closes first
// (the server said 221 and hung up), the end of stream is not passed on as a clean FIN:
// the timer still runs out and the peer gets its RST, as in Toxiproxy.
import type { LinkContext, ToxicKind, ToxicState } from '../types.ts';
import { waitFor } from './wait.ts';

interface ResetState {
  pending: Promise<void> | undefined;
}

function arm(toxic: ToxicState, link: LinkContext): Promise<void> {
  const state = link.state<ResetState>(toxic, () => ({ pending: undefined }));
  state.pending ??= waitFor(toxic.attributes.timeout ?? 0, link.signal).then((alive) => {
    if (alive) link.reset();
  });
  return state.pending;
}

export const resetPeerToxic: ToxicKind = {
  type: 'reset_peer',
  defaults: { timeout: 0 },
  millisecondAttributes: ['timeout'],
  async transform(_chunk, _arrivedAt, toxic, link) {
    void arm(toxic, link);
  },
  async beforeEnd(toxic, link) {
    await arm(toxic, link);
  },
};
