// Starts a TypeScript module in a worker thread through the shared boot (tsx loader).
import { Worker, type WorkerOptions } from 'node:worker_threads';

const BOOT = new URL('./boot.js', import.meta.url);

/** `entry`: the module's URL (its own import.meta.url resolution, e.g. new URL('./main.ts', import.meta.url)). */
export function startThread(entry: URL, options: Omit<WorkerOptions, 'argv'> = {}): Worker {
  return new Worker(BOOT, { ...options, argv: [entry.href] });
}
