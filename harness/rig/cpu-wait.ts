// Time the main thread was runnable but waited for a CPU, from Linux's schedstat (second
// field, ns). Busy neighbours show here and nowhere else: an idle harness sleeps, it does not wait.
import { readFileSync } from 'node:fs';

/** Nanoseconds waited so far, or undefined where the kernel does not say. */
export function cpuWaitNs(): number | undefined {
  try {
    const fields = readFileSync('/proc/self/schedstat', 'utf8').trim().split(/\s+/);
    const waited = Number(fields[1]);
    return Number.isFinite(waited) ? waited : undefined;
  } catch {
    return undefined;
  }
}
