// The reply-all-storm replay's own metrics, said once.
import type { DeclarationTable } from '../../engine/metrics/declare.ts';

export const REPLY_ALL_STORM_METRICS: DeclarationTable = {
  storm_reply_alls: { kind: 'counter', unit: 'count', label: 'reply-alls sent', topic: 'throughput' },
  background_submission_ok: { kind: 'rate', unit: 'ratio', label: 'background submissions', worse: 'lower' },
  background_inbound_ok: { kind: 'rate', unit: 'ratio', label: 'background inbound messages', worse: 'lower' },
  storm_intensity_per_min: { kind: 'gauge', unit: 'count', label: 'reply-alls a minute (storm intensity)', topic: 'throughput' },
  storm_deliveries_accepted: { kind: 'gauge', unit: 'count', label: 'storm deliveries accepted', topic: 'delivery' },
  storm_replyalls_before_block: { kind: 'gauge', unit: 'count', label: 'reply-alls let through before the block', topic: 'errors' },
  storm_queue_drain_seconds: { kind: 'gauge', unit: 's', label: 'seconds the queue took to drain', topic: 'queue' },
};
