// Plain k6 summaries (no mailstorm block) added up where that is exact: counters' counts and
// rates' passes and fails are summed, trends' and gauges' min and max taken over the files, a
// trend's avg weighted by its count when every file has one. Percentiles and medians are not
// merged (k6 wrote each file's from samples mailstorm never sees); from one file they are used
// as k6 computed them. Every stat that cannot be had says why, so a gate is never a guess.
import type { MetricKind } from '../engine/metrics/types.ts';
import { percentileOf } from '../engine/metrics/accumulators.ts';
import type { PlainSummary } from './plain-summary.ts';

/** A stat's value, or why there is none. */
export type StatAnswer = number | { why: string };

export const PERCENTILES_NOT_MERGED = 'percentiles and medians from several plain k6 summaries cannot be merged exactly (each file holds only its own runner\'s percentiles); export the scenario with `mailstorm export k6` so the runners write mergeable histograms';

export class PlainMerge {
  readonly #files: readonly PlainSummary[];
  readonly durationMs: number | undefined;

  constructor(files: readonly PlainSummary[]) {
    this.#files = files;
    const durations = files.map((f) => f.durationMs);
    this.durationMs = durations.every((d) => d !== undefined) ? Math.max(...(durations as number[])) : undefined;
  }

  /** Every metric key in any file, in first-seen order, with its kind. */
  keys(): { key: string; type: MetricKind }[] {
    const out = new Map<string, MetricKind>();
    for (const f of this.#files) for (const [key, m] of Object.entries(f.metrics)) if (!out.has(key)) out.set(key, m.type);
    return [...out].map(([key, type]) => ({ key, type }));
  }

  kindOf(key: string): MetricKind | undefined {
    return this.keys().find((k) => k.key === key)?.type;
  }

  stat(key: string, stat: string): StatAnswer {
    const found = this.#files.map((f) => f.metrics[key]).filter((m) => m !== undefined);
    if (found.length === 0) return { why: `no summary has metric ${key}` };
    const type = found[0]!.type;
    const all = (s: string): number[] | undefined => {
      const v = found.map((m) => m.values[s]);
      return v.every((x) => x !== undefined) ? (v as number[]) : undefined;
    };
    const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
    const missing = (s: string) => ({ why: `${s} is not in the summary of ${key} (it holds ${Object.keys(found[0]!.values).join(', ')}; k6 writes the stats its summaryTrendStats option names)` });
    const single = this.#files.length === 1;
    if (type === 'counter') {
      const counts = all('count');
      if (!counts) return missing('count');
      if (stat === 'count') return sum(counts);
      if (stat === 'rate') {
        if (single) return found[0]!.values['rate'] ?? missing('rate');
        if (this.durationMs === undefined || this.durationMs <= 0) return { why: `a counter's rate over several plain summaries needs each run's duration, which these files do not state (newer --summary-export files leave k6's state out); gate on count instead` };
        return sum(counts) / (this.durationMs / 1000);
      }
      return { why: `${stat} is not a stat of counter ${key}` };
    }
    if (type === 'rate') {
      const passes = all('passes'), fails = all('fails');
      if (!passes || !fails) return missing(passes ? 'fails' : 'passes');
      if (stat === 'passes') return sum(passes);
      if (stat === 'fails') return sum(fails);
      if (stat === 'rate') { const n = sum(passes) + sum(fails); return n > 0 ? sum(passes) / n : { why: `no samples of ${key}` }; }
      return { why: `${stat} is not a stat of rate ${key}` };
    }
    if (single) return found[0]!.values[stat] ?? missing(stat);
    if (stat === 'min' || stat === 'max') {
      const v = all(stat);
      if (!v) return missing(stat);
      return stat === 'min' ? Math.min(...v) : Math.max(...v);
    }
    if (type === 'trend' && (stat === 'count' || stat === 'avg')) {
      const counts = all('count');
      if (!counts) return { why: `${stat} over several summaries needs each file's count of ${key}, which k6 wrote only if summaryTrendStats names "count"` };
      if (stat === 'count') return sum(counts);
      const avgs = all('avg');
      if (!avgs) return missing('avg');
      const n = sum(counts);
      return n > 0 ? avgs.reduce((a, avg, i) => a + avg * counts[i]!, 0) / n : { why: `no samples of ${key}` };
    }
    if (type === 'trend' && (stat === 'med' || percentileOf(stat) !== undefined)) return { why: PERCENTILES_NOT_MERGED };
    if (type === 'gauge' && stat === 'value') return { why: `a gauge's last value is per runner; over several plain summaries only its min and max are known` };
    return { why: `${stat} of ${key} cannot be had from several plain summaries` };
  }

  /** The values result.json records: what stat() can answer, nothing guessed. */
  values(key: string): Record<string, number> {
    const type = this.kindOf(key);
    const first = this.#files.find((f) => f.metrics[key] !== undefined)!.metrics[key]!;
    const stats = type === 'counter' ? ['count', 'rate'] : type === 'rate' ? ['rate', 'passes', 'fails'] : Object.keys(first.values);
    const out: Record<string, number> = {};
    for (const s of stats) {
      const v = this.stat(key, s);
      if (typeof v === 'number') out[s] = v;
    }
    return out;
  }
}
