// slicer: cuts each chunk into pieces of average_size ± size_variation bytes with `delay`
// microseconds after each piece, as Toxiproxy does; every byte arrives, in order.
// Node's timers cannot sleep less than 1 ms, so the delays are owed rather than slept one by
// one: each piece adds its delay to the link's debt, and once the debt reaches 1 ms the link
// sleeps it off, crediting what the timer actually slept (oversleep included, see
// maxCreditMs). The sum of the sleeps matches the sum of the delays: 10 µs between 100-byte pieces adds about 0.1 s to
// 1 MiB, not the 10 s that one 1 ms timer per piece would take. Time the link spends idle
// between chunks pays the debt too, as a sleep after the last piece would have.
import type { ToxicKind } from '../types.ts';
import type { Random } from '../../../engine/random.ts';
import { waitFor } from './wait.ts';
import { MAX_TIMER_MS } from '../toxic-set.ts';

/** Sleep only once this much delay is owed (a timer's real resolution). */
const MIN_SLEEP_MS = 1;
/**
 * Oversleep credited to later pieces when each piece is owed `delayMs`. Below a timer's
 * resolution pieces go out in batches anyway, so all of it is credited and the total stays
 * the sum of the delays however late the timers fire (a loaded machine). From 1 ms up at most
 * 1 ms is, so a stalled event loop never turns into a burst of pieces sent closer together
 * than `delay` minus a timer's resolution (Toxiproxy sleeps `delay` after every piece).
 */
const maxCreditMs = (delayMs: number) => (delayMs < MIN_SLEEP_MS ? Infinity : MIN_SLEEP_MS);

interface Pacing {
  /** Delay owed, ms; negative when a timer overslept (credit for the next pieces). */
  debt: number;
  /** When the last piece went out (performance.now). */
  lastPiece: number;
}

export function slicerToxic(random: Random): ToxicKind {
  return {
    type: 'slicer',
    defaults: { average_size: 0, size_variation: 0, delay: 0 },
    validate: (a) => {
      if ((a.size_variation ?? 0) > (a.average_size ?? 0) && (a.average_size ?? 0) > 0) return 'size_variation must be no larger than average_size';
      if ((a.delay ?? 0) / 1000 >= MAX_TIMER_MS) return `attributes.delay must be below ${MAX_TIMER_MS * 1000} µs (2^31 ms, the longest timer Node can run), got ${a.delay}`;
      return undefined;
    },
    async transform(chunk, _arrivedAt, toxic, link, next) {
      const pacing = link.state<Pacing>(toxic, () => ({ debt: 0, lastPiece: performance.now() }));
      pacing.debt = Math.max(0, pacing.debt - (performance.now() - pacing.lastPiece));
      let offset = 0;
      while (offset < chunk.length) {
        const { average_size = 0, size_variation = 0, delay = 0 } = toxic.attributes; // re-read: updates apply to live links
        if (average_size <= 0) return next(chunk.subarray(offset));
        if (pacing.debt >= MIN_SLEEP_MS) {
          const before = performance.now();
          if (!(await waitFor(pacing.debt, link.signal))) return;
          pacing.debt = Math.max(pacing.debt - (performance.now() - before), -maxCreditMs(delay / 1000));
        }
        if (link.signal.aborted) return;
        const size = Math.max(1, average_size + random.int(-size_variation, size_variation));
        await next(chunk.subarray(offset, offset + size));
        offset += size;
        pacing.debt += delay / 1000;
        pacing.lastPiece = performance.now();
      }
    },
  };
}
