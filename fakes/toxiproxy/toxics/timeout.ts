// timeout (Toxiproxy 2.12 semantics): no data gets through on the stream; it is dropped.
// With timeout > 0 the connection is closed once `timeout` ms pass with no data arriving
// (each chunk restarts the timer); with 0 it stays open. Removing the toxic closes the
// connections it was stalling, so the API never waits on them.
import type { ToxicKind } from '../types.ts';

export const timeoutToxic: ToxicKind = {
  type: 'timeout',
  defaults: { timeout: 0 },
  millisecondAttributes: ['timeout'],
  async transform(_chunk, _arrivedAt, toxic, link) {
    link.state(toxic, () => ({ restart: () => {} })).restart(); // dropped
  },
  attach(toxic, link) {
    let timer: NodeJS.Timeout | undefined;
    const restart = () => {
      clearTimeout(timer);
      const ms = toxic.attributes.timeout ?? 0;
      timer = ms > 0 ? setTimeout(() => link.close(), ms) : undefined;
    };
    link.state(toxic, () => ({ restart })).restart = restart;
    restart();
    // Follow in-place updates (0 -> N arms the timer, N -> 0 disarms it).
    let watching = true;
    void (async () => {
      while (watching && !link.signal.aborted) {
        await link.changed();
        if (watching && link.isPresent(toxic)) restart();
      }
    })();
    return (removed) => {
      watching = false;
      clearTimeout(timer);
      if (removed) link.close();
    };
  },
};
