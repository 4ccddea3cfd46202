import { parseDuration } from '../duration.ts';
import type { Duration } from '../options/types.ts';
import { DEFAULT_MAX_DURATION_MS } from '../options/validate.ts';
import type { ScenarioRuntime } from './scenario-runtime.ts';

/** Iteration-based executors end when their VUs are done or maxDuration (default 10m, as k6) is over. */
export async function untilDoneOrMaxDuration(rt: ScenarioRuntime, loops: Promise<void>[], maxDuration: Duration | undefined): Promise<void> {
  const limit = maxDuration === undefined ? DEFAULT_MAX_DURATION_MS : parseDuration(maxDuration);
  const cancel = new AbortController(); // so a finished scenario leaves no timer behind
  await Promise.race([Promise.all(loops), rt.sleep(limit, cancel.signal)]);
  cancel.abort();
}
