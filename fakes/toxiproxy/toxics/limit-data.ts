// limit_data: lets `bytes` bytes through on the stream, then closes the connection.
import type { ToxicKind } from '../types.ts';

export const limitDataToxic: ToxicKind = {
  type: 'limit_data',
  defaults: { bytes: 0 },
  async transform(chunk, _arrivedAt, toxic, link, next) {
    const seen = link.state(toxic, () => ({ bytes: 0 }));
    const limit = toxic.attributes.bytes ?? 0;
    const allowed = Math.max(0, limit - seen.bytes);
    const piece = chunk.subarray(0, allowed);
    seen.bytes += piece.length;
    if (piece.length > 0) await next(piece);
    if (seen.bytes >= limit) link.close();
  },
};
