// When each iteration of an arrival-rate executor is due, computed from the schedule
// itself (never by accumulating timer delays), so a late wake-up starts the backlog and
// the total over a run is exact.
import { parseDuration } from '../duration.ts';
import type { Stage } from '../options/types.ts';

export interface ArrivalSchedule {
  /** How long the executor starts iterations, ms from its start. */
  durationMs: number;
  /** ms from the executor's start when iteration n (0-based) is due; Infinity when never. */
  timeOf(n: number): number;
}

/** k6 constant-arrival-rate: the first iteration at 0, then one every timeUnit/rate. */
export function constantSchedule(rate: number, timeUnitMs: number, durationMs: number): ArrivalSchedule {
  const interval = timeUnitMs / rate;
  return { durationMs, timeOf: (n) => n * interval };
}

interface Segment {
  t0: number;
  dur: number;
  /** rates in iterations per ms at the segment's start and end */
  r0: number;
  r1: number;
  /** iterations due before the segment (integral of the rate up to t0) */
  c0: number;
  c1: number;
}

/**
 * k6 ramping-arrival-rate: the rate moves linearly from the previous target to each stage's
 * target over the stage's duration. Iteration n is due when the integral of the rate reaches
 * n (or n+1 when startRate is 0, so nothing starts at a zero rate at t=0).
 */
export function rampingSchedule(startRate: number, timeUnitMs: number, stages: readonly Stage[]): ArrivalSchedule {
  const segments: Segment[] = [];
  let t = 0;
  let c = 0;
  let previous = startRate / timeUnitMs;
  for (const stage of stages) {
    const dur = parseDuration(stage.duration);
    const r1 = stage.target / timeUnitMs;
    const c1 = c + ((previous + r1) / 2) * dur;
    if (dur > 0) segments.push({ t0: t, dur, r0: previous, r1, c0: c, c1 });
    t += dur;
    c = c1;
    previous = r1;
  }
  const offset = startRate > 0 ? 0 : 1;
  let cursor = 0; // timeOf is called with increasing n: resume the segment search where it was
  const timeOf = (n: number): number => {
    const k = n + offset;
    if (cursor >= segments.length || (segments[cursor] as Segment).c0 > k) cursor = 0;
    for (; cursor < segments.length; cursor++) {
      const s = segments[cursor] as Segment;
      // An iteration due at a segment's very end belongs to the next one (float noise near a
      // ramp to zero would otherwise put it a hair inside the last stage).
      if (k > s.c1 - 1e-9 * Math.max(1, s.c1)) continue;
      const need = k - s.c0;
      if (need <= 0) return s.t0;
      // Solve c0 + r0 x + a x^2 = k for x, in the form that stays stable when a -> 0.
      const a = (s.r1 - s.r0) / (2 * s.dur);
      const root = Math.sqrt(Math.max(0, s.r0 * s.r0 + 4 * a * need));
      const denominator = s.r0 + root;
      if (denominator <= 0) continue;
      return s.t0 + Math.min(s.dur, (2 * need) / denominator);
    }
    return Infinity;
  };
  return { durationMs: t, timeOf };
}
