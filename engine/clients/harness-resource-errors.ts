// A connection that failed because this machine ran out (file descriptors, ephemeral ports,
// socket buffers) says nothing about the stack: the clients count it apart, and the rig makes
// a run with any of them inconclusive (harness/rig/assess.ts).
import type { MetricsSink } from '../metrics/types.ts';

const LOCAL_EXHAUSTION = /\b(EMFILE|ENFILE|EADDRNOTAVAIL|ENOBUFS)\b/;

// Frozen, reused tag objects: the metrics registry caches their keys by identity.
const TAGS = new Map<string, Readonly<{ code: string }>>();

/** Counts `harness.resource_errors{code}` when the failure text names a local exhaustion. */
export function countHarnessResourceError(metrics: MetricsSink, failure: string): void {
  const code = LOCAL_EXHAUSTION.exec(failure)?.[1];
  if (code === undefined) return;
  let tags = TAGS.get(code);
  if (!tags) TAGS.set(code, (tags = Object.freeze({ code })));
  metrics.count('harness.resource_errors', 1, tags);
}
