// How long this process's main thread (the event loop) has waited for a CPU: on Linux the
// second field of /proc/self/schedstat, ns spent runnable but not running. Where the file is
// absent (macOS, Windows, kernels without schedstats) the reader says undefined and callers
// fall back to the event loop's own lateness.
import { readFileSync } from 'node:fs';

export type RunQueueWaitReader = () => number | undefined;

const SCHEDSTAT = '/proc/self/schedstat';

/** Reads run-queue wait in ns; undefined when the kernel does not say. */
export function linuxRunQueueWaitNs(): number | undefined {
  try {
    const wait = Number(readFileSync(SCHEDSTAT, 'utf8').trim().split(/\s+/)[1]);
    return Number.isFinite(wait) ? wait : undefined;
  } catch {
    return undefined;
  }
}

/** The reader to use here: Linux's when the file answers once, otherwise one that never knows. */
export function runQueueWaitReader(): RunQueueWaitReader {
  return linuxRunQueueWaitNs() === undefined ? () => undefined : linuxRunQueueWaitNs;
}
