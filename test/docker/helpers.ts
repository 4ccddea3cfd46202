// Shared setup for the docker tests: a run's collaborators (clock, ledger, metrics, events),
// image build once per process, and the leftover check every file ends with.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../engine/clock.ts';
import { seededRandom } from '../../engine/random.ts';
import { MemoryEventLog } from '../../engine/events.ts';
import { MemoryLedger } from '../../engine/ledger/memory-ledger.ts';
import { MetricsRegistry } from '../../engine/metrics/registry.ts';
import type { StackOptions, StackSpec } from '../../stack/types.ts';
import { ensureImages } from '../../stack/docker/images.ts';
import { listLabelled } from '../../stack/docker/cleanup.ts';

export async function stackOptions(spec: StackSpec, config?: Record<string, unknown>): Promise<StackOptions & { ledger: MemoryLedger }> {
  const startedAt = Date.now();
  const metrics = new MetricsRegistry({ startedAt });
  const ledger = new MemoryLedger({ metrics, clock: systemClock });
  return {
    spec,
    clock: systemClock,
    random: seededRandom(7),
    metrics,
    ledger,
    events: new MemoryEventLog(startedAt),
    logDir: await mkdtemp(join(tmpdir(), 'mailstorm-docker-')),
    ...(config && { config }),
  };
}

let images: Promise<void> | undefined;
/** Builds the images once per test process; a present image is reused (docker's cache). */
export function imagesReady(): Promise<void> {
  return (images ??= ensureImages({ rebuild: true }));
}

/** Containers and networks labelled mailstorm=1 still present. */
export async function leftovers(): Promise<string[]> {
  const found = await listLabelled();
  return [...found.containers.map((c) => `container ${c}`), ...found.networks.map((n) => `network ${n}`), ...found.volumes.map((v) => `volume ${v}`)];
}

/** Polls `check` until it returns true; bounded in tries, never by a wall-clock assertion. */
export async function eventually(check: () => boolean | Promise<boolean>, tries = 60, everyMs = 500): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return false;
}

export const SMALL_POPULATION: NonNullable<StackSpec['population']> = { organisations: [{ name: 'Trust A', users: 5 }, { name: 'Trust B', users: 5 }] };
