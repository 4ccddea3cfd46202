// Removes what mailstorm started: by label, for `mailstorm stack clean` and tests; and, for a
// process that exits without stopping its stack (second Ctrl-C, crash), synchronously from an
// 'exit' hook, since Ryuk is not there to do it.
import { docker, dockerSync, lines } from './docker-cli.ts';
import { MAILSTORM_FILTER, RUN_LABEL } from './labels.ts';

export interface CleanResult {
  containers: number;
  networks: number;
  volumes: number;
}

/** Lists ids of containers, networks and volumes carrying `filter` (default: mailstorm=1). */
export async function listLabelled(filter = MAILSTORM_FILTER): Promise<{ containers: string[]; networks: string[]; volumes: string[] }> {
  const [c, n, v] = await Promise.all([
    docker(['ps', '-aq', '--filter', filter]),
    docker(['network', 'ls', '-q', '--filter', filter]),
    docker(['volume', 'ls', '-q', '--filter', filter]),
  ]);
  return { containers: lines(c.stdout), networks: lines(n.stdout), volumes: lines(v.stdout) };
}

/** Removes every container (with its anonymous volumes), network and volume matching `filter`. */
export async function removeLabelled(filter = MAILSTORM_FILTER): Promise<CleanResult> {
  const found = await listLabelled(filter);
  if (found.containers.length > 0) await docker(['rm', '-f', '-v', ...found.containers]);
  if (found.networks.length > 0) await docker(['network', 'rm', ...found.networks]);
  if (found.volumes.length > 0) await docker(['volume', 'rm', '-f', ...found.volumes]);
  return { containers: found.containers.length, networks: found.networks.length, volumes: found.volumes.length };
}

const liveRuns = new Set<string>();
let hooked = false;

/** Removes one run's containers and networks by label, synchronously (for 'exit' hooks). */
export function removeRunSync(runId: string): void {
  const filter = `label=${RUN_LABEL}=${runId}`;
  const containers = lines(dockerSync(['ps', '-aq', '--filter', filter]));
  if (containers.length > 0) dockerSync(['rm', '-f', '-v', ...containers]);
  const networks = lines(dockerSync(['network', 'ls', '-q', '--filter', filter]));
  if (networks.length > 0) dockerSync(['network', 'rm', ...networks]);
}

function removeLiveSync(): void {
  for (const runId of liveRuns) removeRunSync(runId);
  liveRuns.clear();
}

// signal-exit (testcontainers' lock files use it) adds listeners that act only when they are
// the sole listeners of a signal: they do not handle it, so they must not count as a handler.
const passive = (listener: (...args: unknown[]) => void): boolean => /no other listeners/.test(Function.prototype.toString.call(listener));

// A signal nobody else handles would kill the process without running 'exit' hooks: clean up
// and re-raise it. When the CLI handles signals itself (graceful teardown), leave it to it.
function onSignal(signal: NodeJS.Signals): void {
  const handlers = process.listeners(signal).filter((l) => l !== onSignal && !passive(l as (...args: unknown[]) => void));
  if (handlers.length > 0) return;
  removeLiveSync();
  process.off(signal, onSignal);
  process.kill(process.pid, signal);
}

/**
 * Makes sure a run's containers and networks are removed even when the process exits without
 * stopping the stack. Returns the function to call once the stack stopped normally.
 */
export function trackForExit(runId: string): () => void {
  if (!hooked) {
    hooked = true;
    process.on('exit', removeLiveSync);
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
  }
  liveRuns.add(runId);
  return () => {
    liveRuns.delete(runId);
  };
}
