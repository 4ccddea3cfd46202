/**
 * VUs wanted at `elapsedMs` of a ramping-vus schedule: linear between stage targets,
 * rounded toward the previous target so a VU joins (or leaves) when the line crosses it.
 */
export function vuTargetAt(startVUs: number, stages: readonly { target: number; durationMs: number }[], elapsedMs: number): number {
  let from = startVUs;
  let t = 0;
  for (const stage of stages) {
    if (elapsedMs < t + stage.durationMs) {
      const value = from + ((stage.target - from) * (elapsedMs - t)) / stage.durationMs;
      return stage.target >= from ? Math.floor(value + 1e-9) : Math.ceil(value - 1e-9);
    }
    t += stage.durationMs;
    from = stage.target;
  }
  return from;
}
