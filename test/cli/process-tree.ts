// Linux process-table reads for the exit tests: which processes descend from a pid, and
// whether one is still running (a zombie waiting for a reaper is not).
import { readdir, readFile } from 'node:fs/promises';

async function stat(pid: number): Promise<{ ppid: number; state: string } | undefined> {
  try {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the ")" that closes the command name: state, ppid, ...
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: rest[0] ?? '?', ppid: Number(rest[1]) };
  } catch {
    return undefined;
  }
}

export async function isRunning(pid: number): Promise<boolean> {
  const s = await stat(pid);
  return s !== undefined && s.state !== 'Z' && s.state !== 'X';
}

export async function cmdline(pid: number): Promise<string> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** Every live process under `root`, with its command line. */
export async function descendants(root: number): Promise<{ pid: number; cmd: string }[]> {
  const parents = new Map<number, number>();
  for (const name of await readdir('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const s = await stat(pid);
    if (s) parents.set(pid, s.ppid);
  }
  const out: { pid: number; cmd: string }[] = [];
  const frontier = [root];
  while (frontier.length) {
    const parent = frontier.pop() as number;
    for (const [pid, ppid] of parents) {
      if (ppid !== parent) continue;
      out.push({ pid, cmd: await cmdline(pid) });
      frontier.push(pid);
    }
  }
  return out;
}

/** Waits (bounded) until `pid` no longer runs; returns how long that took, or undefined. */
export async function waitGone(pid: number, timeoutMs: number): Promise<number | undefined> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (!(await isRunning(pid))) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}
