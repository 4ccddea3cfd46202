// slicer: cuts each chunk into pieces of average_size ± size_variation bytes with `delay`
// microseconds between pieces; every byte arrives, in order.
// Node's timers cannot sleep less than 1 ms, so delays are paced against a per-link due time
// (performance.now, sub-millisecond): pieces go out back to back until the link is at least
// 1 ms ahead of its schedule, then it sleeps that debt off. 10 µs between 100-byte pieces
// moves 1 MiB in about 0.1 s of delay, as in Toxiproxy, not 10 s of 1 ms sleeps.
import type { ToxicKind } from '../types.ts';
import type { Random } from '../../../engine/random.ts';
import { waitFor } from './wait.ts';

/** Sleep only once the schedule is this far ahead of the clock (a timer's real resolution). */
const MIN_SLEEP_MS = 1;

export function slicerToxic(random: Random): ToxicKind {
  return {
    type: 'slicer',
    defaults: { average_size: 0, size_variation: 0, delay: 0 },
    validate: (a) =>
      (a.size_variation ?? 0) > (a.average_size ?? 0) && (a.average_size ?? 0) > 0
        ? 'size_variation must be no larger than average_size'
        : undefined,
    async transform(chunk, _arrivedAt, toxic, link, next) {
      const pacing = link.state(toxic, () => ({ due: performance.now() }));
      let offset = 0;
      while (offset < chunk.length) {
        const { average_size = 0, size_variation = 0, delay = 0 } = toxic.attributes;
        if (average_size <= 0) return next(chunk.subarray(offset));
        const size = Math.max(1, average_size + random.int(-size_variation, size_variation));
        await next(chunk.subarray(offset, offset + size));
        offset += size;
        if (offset >= chunk.length || delay <= 0) continue;
        const now = performance.now();
        // A link idle for a while starts a fresh schedule instead of bursting to catch up.
        pacing.due = Math.max(pacing.due, now) + delay / 1000;
        const ahead = pacing.due - now;
        if (ahead >= MIN_SLEEP_MS && !(await waitFor(ahead, link.signal))) return;
        if (link.signal.aborted) return;
      }
    },
  };
}
