// slicer: cuts each chunk into pieces of average_size ± size_variation bytes with `delay`
// microseconds between pieces; every byte arrives, in order.
import type { ToxicKind } from '../types.ts';
import type { Random } from '../../../engine/random.ts';
import { waitFor } from './wait.ts';

export function slicerToxic(random: Random): ToxicKind {
  return {
    type: 'slicer',
    defaults: { average_size: 0, size_variation: 0, delay: 0 },
    validate: (a) =>
      (a.size_variation ?? 0) > (a.average_size ?? 0) && (a.average_size ?? 0) > 0
        ? 'size_variation must be no larger than average_size'
        : undefined,
    async transform(chunk, _arrivedAt, toxic, link, next) {
      let offset = 0;
      while (offset < chunk.length) {
        const { average_size = 0, size_variation = 0, delay = 0 } = toxic.attributes;
        if (average_size <= 0) return next(chunk.subarray(offset));
        const size = Math.max(1, average_size + random.int(-size_variation, size_variation));
        await next(chunk.subarray(offset, offset + size));
        offset += size;
        if (offset < chunk.length && !(await waitFor(delay / 1000, link.signal))) return;
      }
    },
  };
}
