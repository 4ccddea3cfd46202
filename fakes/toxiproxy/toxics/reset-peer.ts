// reset_peer (Toxiproxy 2.12 semantics): when data first arrives on the stream it is dropped,
// and `timeout` ms later (0 = at once) the connection is torn down with a TCP RST
// ("connection reset by peer"). Later data is dropped too.
import type { ToxicKind } from '../types.ts';
import { waitFor } from './wait.ts';

export const resetPeerToxic: ToxicKind = {
  type: 'reset_peer',
  defaults: { timeout: 0 },
  async transform(_chunk, _arrivedAt, toxic, link) {
    const state = link.state(toxic, () => ({ armed: false }));
    if (state.armed) return;
    state.armed = true;
    void waitFor(toxic.attributes.timeout ?? 0, link.signal).then((alive) => alive && link.reset());
  },
};
