// slow_close: holds the end of the stream (FIN) for `delay` ms after the source closed.
import type { ToxicKind } from '../types.ts';
import { waitFor } from './wait.ts';

export const slowCloseToxic: ToxicKind = {
  type: 'slow_close',
  defaults: { delay: 0 },
  millisecondAttributes: ['delay'],
  async beforeEnd(toxic, link) {
    await waitFor(toxic.attributes.delay ?? 0, link.signal);
  },
};
