// Child processes of the benchmark: peers (smtp-sink), timed tools (smtp-source), and
// mailstorm workers that print one JSON line of results. Every child has a time limit, and
// every child's CPU time goes into the benchmark's CPU book (lib/cpu.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { reapedChildrenCpu, recordCpu, treeCpuSeconds } from './cpu.ts';

export const BENCH_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const REPO_DIR = path.dirname(BENCH_DIR);

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** Peak resident memory of the child, kB (from /proc while it ran; 0 when unknown). */
  peakRssKb: number;
  /** CPU seconds the child used (user + system, with the children it waited for). */
  cpuSeconds: number;
  /** Of those, the seconds spent in the kernel (system calls: socket reads and writes). */
  systemSeconds: number;
}

/**
 * A child's name in the CPU book: the script a node (or /usr/bin/time) child runs, else the
 * command; mailstorm's when the script is in this repository (a bench worker, the CLI).
 */
function processLabel(command: string, args: readonly string[]): { name: string; mailstorm: boolean } {
  const script = args.find((a) => /\.(ts|js)$/.test(a));
  if (script) return { name: path.basename(script).replace(/\.(ts|js)$/, ''), mailstorm: path.resolve(REPO_DIR, script).startsWith(REPO_DIR) };
  return { name: path.basename(command), mailstorm: false };
}

/**
 * Runs a command to completion (killed after timeoutMs), timing it from spawn to exit.
 * `name` is its line in the CPU book when the command alone does not tell it apart.
 */
export function run(command: string, args: readonly string[], timeoutMs: number, env: NodeJS.ProcessEnv = process.env, name?: string): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // Timed children run one at a time, so the growth of the reaped children's CPU over this
    // one's life is its own.
    const reapedBefore = reapedChildrenCpu();
    const child = spawn(command, args, { cwd: REPO_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peakRssKb = 0;
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const sample = setInterval(() => (peakRssKb = Math.max(peakRssKb, peakRss(child.pid))), 250);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      clearInterval(sample);
      reject(error);
    });
    child.once('exit', (code) => {
      const ms = performance.now() - started;
      clearTimeout(timer);
      clearInterval(sample);
      const reapedAfter = reapedChildrenCpu();
      const systemSeconds = Math.max(0, reapedAfter.system - reapedBefore.system);
      const cpuSeconds = Math.max(0, reapedAfter.user - reapedBefore.user) + systemSeconds;
      const label = processLabel(command, args);
      recordCpu(name ?? label.name, label.mailstorm, cpuSeconds, ms / 1000);
      resolve({ code, stdout, stderr, ms, peakRssKb, cpuSeconds, systemSeconds });
    });
  });
}

/** VmHWM (peak RSS) of a live process, kB. */
function peakRss(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Runs a bench/workers/<name>.ts in its own node process and parses its last JSON line. */
export async function runWorker<T>(name: string, args: readonly string[], timeoutMs: number, nodeFlags: readonly string[] = []): Promise<T> {
  const script = path.join(BENCH_DIR, 'workers', `${name}.ts`);
  const done = await run(process.execPath, [...nodeFlags, '--import', 'tsx', script, ...args], timeoutMs);
  const line = done.stdout.trim().split('\n').pop() ?? '';
  if (done.code !== 0 || !line.startsWith('{')) {
    throw new Error(`worker ${name} failed (exit ${done.code}): ${done.stderr.trim().split('\n').slice(-5).join(' | ') || line}`);
  }
  return JSON.parse(line) as T;
}

/** A long-running child (a peer or a server worker) stopped with SIGTERM, then SIGKILL. */
export interface Background {
  child: ChildProcess;
  /** Lines the child printed so far on stdout. */
  output(): string;
  /** CPU seconds the child and its descendants have used so far (for one phase: the difference). */
  cpuSeconds(): number;
  /** Ends it; its CPU over its whole life goes into the CPU book. */
  stop(): Promise<void>;
}

export function background(command: string, args: readonly string[], cwd = REPO_DIR): Background {
  const child = spawn(command, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', () => {});
  child.on('error', () => {});
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started = performance.now();
  const label = processLabel(command, args);
  return {
    child,
    output: () => out,
    cpuSeconds: () => treeCpuSeconds(child.pid),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      recordCpu(`${label.name} (whole life)`, label.mailstorm, treeCpuSeconds(child.pid), (performance.now() - started) / 1000);
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Starts bench/workers/<name>.ts as a server and waits for its `{"port":N}` line. */
export async function serverWorker(name: string, args: readonly string[], timeoutMs = 30_000): Promise<Background & { port: number }> {
  const script = path.join(BENCH_DIR, 'workers', `${name}.ts`);
  const bg = background(process.execPath, ['--import', 'tsx', script, ...args]);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = /\{"port":(\d+)\}/.exec(bg.output());
    if (match) return { ...bg, port: Number(match[1]) };
    if (bg.child.exitCode !== null || Date.now() > deadline) {
      await bg.stop();
      throw new Error(`server worker ${name} did not start`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
