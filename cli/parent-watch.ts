// Notices when the command that started mailstorm has gone. `npx mailstorm` runs node under
// npm (and, with npm's default script shell, under `sh -c`): on SIGTERM npm exits at once and
// the shell dies without passing the signal on, so node would be orphaned and run on. Node is
// then re-parented (its ppid changes); polling for that lets the run stop as on SIGTERM: tear
// down, write its reports, exit. Polling is cheap (getppid) and needs nothing from the parent.

export const PARENT_POLL_MS = 500;

export interface ParentWatch {
  readonly parentPid: number;
  stop(): void;
}

/** Calls `gone` once when this process's parent changes; nothing when it started orphaned (ppid 1). */
export function watchParent(gone: (parentPid: number) => void, everyMs = PARENT_POLL_MS): ParentWatch {
  const parentPid = process.ppid;
  if (parentPid <= 1) return { parentPid, stop() {} };
  const timer = setInterval(() => {
    if (process.ppid === parentPid) return;
    clearInterval(timer);
    gone(parentPid);
  }, everyMs);
  timer.unref();
  return { parentPid, stop: () => clearInterval(timer) };
}
