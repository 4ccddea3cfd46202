// One capacity step's figures from its run's result.json: offered vs achieved throughput
// over the load window, merged latency percentiles (read from probe gates the harness
// evaluated on the merged histograms), queue growth, errors.
import type { GateResult, RunResult } from '../harness/result-schema.ts';
import type { SeriesLine } from '../engine/metrics/types.ts';
import type { StepMeasurement } from './types.ts';
import { stepResources } from './step-resources.ts';
import { loadWindow } from './load-window.ts';

/** achieved at least this share of offered counts as keeping up */
export const KEEPS_UP = 0.95;
/** a queue growing faster than this share of the offered rate per second is saturating */
export const QUEUE_GROWTH_SHARE = 0.02;

export const PROBE_DESCRIPTION = 'capacity probe: reads the merged percentile for the capacity table (never fails)';

export interface StepInput {
  level: number;
  offered: number;
  loadSeconds: number;
  throughput: string;
  latency: string;
  queue?: string | undefined;
  slo: string;
  dir: string;
}

/** "name{a:b,c:d}" -> name and tag filter */
export function parseMetricRef(ref: string): { name: string; tags: Record<string, string> } {
  const m = /^([^{}]+)(?:\{([^}]*)\})?$/.exec(ref.trim());
  if (!m) throw new Error(`not a metric reference: ${ref}`);
  const tags: Record<string, string> = {};
  for (const pair of (m[2] ?? '').split(',').filter(Boolean)) {
    const [k, ...v] = pair.split(':');
    tags[k!.trim()] = v.join(':').trim();
  }
  return { name: m[1]!.trim(), tags };
}

function matching(series: readonly SeriesLine[], ref: string): SeriesLine[] {
  const { name, tags } = parseMetricRef(ref);
  return series.filter((s) => s.metric === name && Object.entries(tags).every(([k, v]) => s.tags[k] === v));
}

/**
 * Events per second in the load window (see loadWindow; a load shorter than two seconds is
 * measured from its start): counters count `value`, trends their sample `count`.
 * `loadStartedMs` is result.json's: series count from the run's start, and a docker stack
 * takes seconds to start before the load does.
 */
export function windowRate(series: readonly SeriesLine[], ref: string, loadSeconds: number, loadStartedMs = 0): number {
  const { from, to } = loadWindow(loadSeconds, loadStartedMs);
  let total = 0;
  for (const line of matching(series, ref)) {
    for (const p of line.points) if (p.t >= from && p.t < to) total += line.kind === 'trend' ? (p.count ?? 0) : p.value;
  }
  return total / (to - from);
}

/** Least-squares slope of the summed gauge over the load window, per second. */
export function queueSlope(series: readonly SeriesLine[], ref: string, loadSeconds: number, loadStartedMs = 0): number | null {
  const start = Math.floor(loadStartedMs / 1000);
  const byT = new Map<number, number>();
  for (const line of matching(series, ref)) for (const p of line.points) if (p.t >= start && p.t <= start + loadSeconds) byT.set(p.t, (byT.get(p.t) ?? 0) + p.value);
  const pts = [...byT.entries()];
  if (pts.length < 2) return null;
  const n = pts.length;
  const mt = pts.reduce((a, [t]) => a + t, 0) / n;
  const mv = pts.reduce((a, [, v]) => a + v, 0) / n;
  const cov = pts.reduce((a, [t, v]) => a + (t - mt) * (v - mv), 0);
  const varT = pts.reduce((a, [t]) => a + (t - mt) ** 2, 0);
  return varT === 0 ? 0 : cov / varT;
}

function probe(gates: readonly GateResult[], metric: string, stat: string): number | null {
  return gates.find((g) => g.metric === metric && g.description === PROBE_DESCRIPTION && g.expression.startsWith(stat))?.observed ?? null;
}

export function measureStep(result: RunResult, input: StepInput): StepMeasurement {
  const offset = result.loadStartedMs ?? 0;
  const achieved = windowRate(result.series, input.throughput, input.loadSeconds, offset);
  const sloGate = result.gates.find((g) => g.metric === input.latency && g.expression === input.slo && g.description !== PROBE_DESCRIPTION);
  const sloOk = sloGate?.ok ?? false;
  const queueGrowthPerSec = input.queue ? queueSlope(result.series, input.queue, input.loadSeconds, offset) : null;
  const errors = result.errors.reduce((a, e) => a + e.count, 0);
  const dropped = result.metrics.filter((m) => m.name === 'dropped_iterations').reduce((a, m) => a + (m.values['count'] ?? 0), 0);
  const base = {
    level: input.level, offered: input.offered, achieved, sloOk, queueGrowthPerSec, errors, dropped, verdict: result.verdict, dir: input.dir,
    resources: stepResources(result, input.loadSeconds),
    latency: { p50: probe(result.gates, input.latency, 'p(50)'), p95: probe(result.gates, input.latency, 'p(95)'), p99: probe(result.gates, input.latency, 'p(99)') },
  };
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  if (result.verdict === 'inconclusive') {
    const breaches = result.rig?.breaches.map((b) => `${b.figure} ${b.observed} > ${b.limit}`).join(', ') ?? 'rig overloaded';
    return { ...base, assessment: 'inconclusive', note: `the harness could not keep up (${breaches}); not a knee` };
  }
  if (!result.complete) return { ...base, assessment: 'broken', note: `the step did not complete: ${result.reason}` };
  if (achieved < KEEPS_UP * input.offered) return { ...base, assessment: 'saturated', note: `achieved ${pct(achieved / input.offered)} of the offered throughput (needs ${pct(KEEPS_UP)})` };
  if (queueGrowthPerSec !== null && queueGrowthPerSec > QUEUE_GROWTH_SHARE * input.offered) {
    return { ...base, assessment: 'saturated', note: `queue grew ${queueGrowthPerSec.toFixed(1)}/s (more than ${pct(QUEUE_GROWTH_SHARE)} of the offered rate)` };
  }
  if (!sloOk) return { ...base, assessment: 'slo-broken', note: `SLO ${input.latency} ${input.slo} broken (observed ${sloGate?.observed ?? 'no samples'})` };
  return { ...base, assessment: 'healthy', note: `kept up: ${pct(achieved / input.offered)} of offered, SLO held` };
}
