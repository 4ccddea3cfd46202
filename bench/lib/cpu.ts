// CPU time of the benchmark's processes, so every benchmark says how many cores each side
// used: a ratio between a generator on one core and a peer on two means something else than
// one between equals. Linux /proc only; elsewhere the figures are absent (0).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** Fields of /proc/<pid>/stat after the command name (which may hold spaces), or undefined. */
function statFields(pid: number | 'self'): string[] | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds of a live process and every live descendant (nginx's workers, a shell's
 * command). Children are read from /proc/<pid>/task/<tid>/children.
 */
export function treeCpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  const fields = statFields(pid);
  if (!fields) return 0;
  // utime and stime are fields 14 and 15 of stat, 12 and 13 after the name.
  const ticks = Number(fields[11]) + Number(fields[12]);
  let seconds = 0;
  try {
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      const children = fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      for (const child of children ? children.split(' ') : []) seconds += treeCpuSeconds(Number(child));
    }
  } catch {
    // the process ended while being read: what was read stands
  }
  return ticks / clockTicks() + seconds;
}

/** User and kernel CPU seconds of one live process (its threads, not its children); zeros when gone. */
export function processCpu(pid: number | undefined): { user: number; system: number } {
  const fields = pid === undefined ? undefined : statFields(pid);
  if (!fields) return { user: 0, system: 0 };
  return { user: Number(fields[11]) / clockTicks(), system: Number(fields[12]) / clockTicks() };
}

/**
 * CPU seconds of this process's children that have ended and been waited for (cutime +
 * cstime). Around a child that runs alone, the difference is that child's CPU time.
 */
export function reapedChildrenCpuSeconds(): number {
  const { user, system } = reapedChildrenCpu();
  return user + system;
}

/** The same, split into user and kernel (system) seconds: syscalls such as socket writes are the kernel's. */
export function reapedChildrenCpu(): { user: number; system: number } {
  const fields = statFields('self');
  if (!fields) return { user: 0, system: 0 };
  return { user: Number(fields[13]) / clockTicks(), system: Number(fields[14]) / clockTicks() };
}

/** One process's CPU over its wall time; `mailstorm` marks mailstorm's own code. */
export interface CpuUse {
  process: string;
  mailstorm: boolean;
  cpuSeconds: number;
  wallSeconds: number;
  /** cpuSeconds / wallSeconds: the cores it kept busy on average. */
  cores: number;
}

const book = new Map<string, { mailstorm: boolean; cpuSeconds: number; wallSeconds: number }>();

/** Adds one finished process (or one phase of a long-running one) to the current benchmark's book. */
export function recordCpu(process: string, mailstorm: boolean, cpuSeconds: number, wallSeconds: number): void {
  const entry = book.get(process) ?? { mailstorm, cpuSeconds: 0, wallSeconds: 0 };
  entry.cpuSeconds += cpuSeconds;
  entry.wallSeconds += wallSeconds;
  book.set(process, entry);
}

/** What every process of the benchmark since the last call used, summed over its runs; empties the book. */
export function takeCpuBook(): CpuUse[] {
  const out = [...book.entries()].map(([name, e]) => ({
    process: name,
    mailstorm: e.mailstorm,
    cpuSeconds: round(e.cpuSeconds),
    wallSeconds: round(e.wallSeconds),
    cores: e.wallSeconds > 0 ? round(e.cpuSeconds / e.wallSeconds) : 0,
  }));
  book.clear();
  return out;
}

/** Cores this process may run on (the machine's, or fewer under a CPU affinity mask). */
export function coresAvailable(): number {
  return os.availableParallelism();
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
