// Test-only stand-in for what k6 hands handleSummary: `data.metrics` summed over a runner's
// samples per metric name (tags merged, as k6 does for a metric without a threshold), only
// for metrics that saw a sample.
import type { Kind } from './metrics.ts';

type Sample = { name: string; kind: Kind; value: number };

/** k6's percentile: linear interpolation between the two nearest ranks. */
function percentile(sorted: number[], p: number): number {
  const at = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(at);
  return sorted[lo]! + (sorted[Math.min(lo + 1, sorted.length - 1)]! - sorted[lo]!) * (at - lo);
}

export function k6SummaryData(samples: readonly Sample[], durationMs: number): { metrics: Record<string, { type: Kind; values: Record<string, number> }>; state: { testRunDurationMs: number } } {
  const by = new Map<string, Sample[]>();
  for (const s of samples) by.set(s.name, [...(by.get(s.name) ?? []), s]);
  const metrics: Record<string, { type: Kind; values: Record<string, number> }> = {};
  for (const [name, list] of by) {
    const kind = list[0]!.kind;
    const v = list.map((s) => s.value);
    const sum = v.reduce((a, b) => a + b, 0);
    const sorted = [...v].sort((a, b) => a - b);
    const values: Record<string, number> =
      kind === 'counter' ? { count: sum, rate: sum / (durationMs / 1000) }
        : kind === 'rate' ? { rate: v.filter((x) => x !== 0).length / v.length, passes: v.filter((x) => x !== 0).length, fails: v.filter((x) => x === 0).length }
          : kind === 'gauge' ? { value: v.at(-1)!, min: sorted[0]!, max: sorted.at(-1)! }
            : { count: v.length, avg: sum / v.length, min: sorted[0]!, med: percentile(sorted, 50), max: sorted.at(-1)!, 'p(90)': percentile(sorted, 90), 'p(95)': percentile(sorted, 95), 'p(99)': percentile(sorted, 99) };
    metrics[name] = { type: kind, values };
  }
  return { metrics, state: { testRunDurationMs: durationMs } };
}
