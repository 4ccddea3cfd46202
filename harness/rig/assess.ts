// Judges the rig: the monitor's figures plus the engine's lag figures against the limits.
import type { MetricView } from '../../engine/metrics/types.ts';
import { MIN_JUDGED_WINDOW_MS } from './limits.ts';
import type { ProcessFigures, RigBreach, RigFigures, RigLimitName, RigLimits, RigRecord, RigSecond } from './types.ts';

export interface MetricLookup {
  query(name: string): MetricView | undefined;
}

function stat(metrics: MetricLookup, name: string, which: string): number | undefined {
  const value = metrics.query(name)?.stat(which);
  return value === undefined ? undefined : Math.round(value * 1000) / 1000;
}

export function rigFigures(process: ProcessFigures, metrics: MetricLookup): RigFigures {
  const figures: RigFigures = {
    ...process,
    droppedIterations: stat(metrics, 'dropped_iterations', 'count') ?? 0,
    harnessResourceErrors: stat(metrics, 'harness.resource_errors', 'count') ?? 0,
  };
  const scheduleLag = stat(metrics, 'schedule_lag', 'p(95)');
  if (scheduleLag !== undefined) figures.scheduleLagP95Ms = scheduleLag;
  const replayLag = stat(metrics, 'replay_lag', 'p(95)');
  if (replayLag !== undefined) figures.replayLagP95Ms = replayLag;
  // An embedded MTA behind its configured rate was short of the harness's CPU, not of capacity.
  const shortfall = stat(metrics, 'mta.pace_shortfall', 'count') ?? 0;
  const owed = shortfall + (stat(metrics, 'mta.delivered', 'count') ?? 0);
  if (owed > 0) figures.fakeMtaShortfallShare = Math.round((shortfall / owed) * 1000) / 1000;
  return figures;
}

export function assessRig(figures: RigFigures, limits: RigLimits, series: RigSecond[]): RigRecord {
  if (figures.windowMs < MIN_JUDGED_WINDOW_MS) {
    return { limits, figures, series, overloaded: false, breaches: [], notJudged: `the measured window (${figures.windowMs} ms) is shorter than ${MIN_JUDGED_WINDOW_MS} ms` };
  }
  const breaches: RigBreach[] = [];
  for (const [figure, limit] of Object.entries(limits) as [RigLimitName, number | null][]) {
    const observed = figures[figure];
    if (limit !== null && observed !== undefined && observed > limit) breaches.push({ figure, observed, limit });
  }
  return { limits, figures, series, overloaded: breaches.length > 0, breaches };
}
