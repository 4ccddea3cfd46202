// latency: delays every chunk of one stream by latency ± jitter ms, measured from when the
// chunk arrived, so a steady stream keeps its throughput (a round trip needs one toxic each way).
import type { ToxicKind } from '../types.ts';
import { waitFor } from './wait.ts';
import type { Random } from '../../../engine/random.ts';

export function latencyToxic(random: Random): ToxicKind {
  return {
    type: 'latency',
    defaults: { latency: 0, jitter: 0 },
    millisecondAttributes: ['latency', 'jitter'],
    validate: (a) => ((a.latency ?? 0) + (a.jitter ?? 0) >= 2 ** 31 ? 'latency + jitter must be below 2147483648 ms (2^31, the longest timer Node can run)' : undefined),
    async transform(chunk, arrivedAt, toxic, link, next) {
      const { latency = 0, jitter = 0 } = toxic.attributes;
      const delay = latency + (jitter > 0 ? (random.next() * 2 - 1) * jitter : 0);
      if (await waitFor(arrivedAt + delay - Date.now(), link.signal)) await next(chunk);
    },
  };
}
