// bandwidth: caps one stream at `rate` KB/s (1 KB = 1000 bytes, as Toxiproxy counts); 0 = no cap.
// Pacing keeps a per-link "next free" time so short bursts cannot exceed the rate on average.
import type { ToxicKind } from '../types.ts';
import { waitFor } from './wait.ts';

/** Largest piece sent at once, so a rate change applies within a fraction of a second. */
const MAX_PIECE_MS = 100;

export const bandwidthToxic: ToxicKind = {
  type: 'bandwidth',
  defaults: { rate: 0 },
  async transform(chunk, _arrivedAt, toxic, link, next) {
    const pacing = link.state(toxic, () => ({ nextFree: Date.now() }));
    let offset = 0;
    while (offset < chunk.length) {
      const rate = toxic.attributes.rate ?? 0; // re-read per piece: updates apply to live links
      if (rate <= 0 || !link.isPresent(toxic)) {
        await next(chunk.subarray(offset));
        return;
      }
      const bytesPerMs = rate; // rate KB/s = rate * 1000 bytes / 1000 ms
      const size = Math.max(1, Math.min(chunk.length - offset, Math.floor(bytesPerMs * MAX_PIECE_MS)));
      const now = Date.now();
      pacing.nextFree = Math.max(pacing.nextFree, now) + size / bytesPerMs;
      // Send the piece once its share of time has passed.
      if (!(await waitFor(pacing.nextFree - now, link.signal))) return;
      await next(chunk.subarray(offset, offset + size));
      offset += size;
    }
  },
};
