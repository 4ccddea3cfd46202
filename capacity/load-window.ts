// Which seconds of a step's series are its load window: series count from the run's start,
// the load begins after the stack has started (seconds on docker), and its first second is
// the executors' start and the stack's warm-up, not steady load.

/** The first second holds the executors' start and the stack's warm-up, not steady load. */
const WARM_UP_SECONDS = 1;

/**
 * Series seconds of the load window: [from, to), after the warm-up second, shifted to where
 * the load began (to the nearest whole second: series points are whole seconds).
 */
export function loadWindow(loadSeconds: number, loadStartedMs = 0): { from: number; to: number } {
  const start = loadStartedMs / 1000;
  const warmUp = loadSeconds >= 2 * WARM_UP_SECONDS ? WARM_UP_SECONDS : 0;
  const from = Math.round(start + warmUp);
  return { from, to: Math.max(from + 1, Math.round(start + loadSeconds)) };
}

