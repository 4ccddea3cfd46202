// min / median / max of repeated runs, the only summary the benchmark reports.

export interface Spread {
  min: number;
  median: number;
  max: number;
  runs: number[];
}

export function spread(runs: readonly number[]): Spread {
  const sorted = [...runs].sort((a, b) => a - b);
  const n = sorted.length;
  const median = n === 0 ? NaN : n % 2 === 1 ? (sorted[(n - 1) / 2] as number) : ((sorted[n / 2 - 1] as number) + (sorted[n / 2] as number)) / 2;
  return { min: sorted[0] ?? NaN, median, max: sorted[n - 1] ?? NaN, runs: [...runs] };
}

/** The p-th percentile (0..100) of samples, nearest rank. */
export function percentile(samples: Float64Array | number[], p: number): number {
  const sorted = Float64Array.from(samples).sort();
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}
