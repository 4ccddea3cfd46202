// Child processes of the benchmark: peers (smtp-sink), timed tools (smtp-source), and
// mailstorm workers that print one JSON line of results. Every child has a time limit.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const REPO_DIR = path.dirname(BENCH_DIR);

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** Peak resident memory of the child, kB (from /proc while it ran; 0 when unknown). */
  peakRssKb: number;
}

/** Runs a command to completion (killed after timeoutMs), timing it from spawn to exit. */
export function run(command: string, args: readonly string[], timeoutMs: number, env: NodeJS.ProcessEnv = process.env): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
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
      resolve({ code, stdout, stderr, ms, peakRssKb });
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
  stop(): Promise<void>;
}

export function background(command: string, args: readonly string[], cwd = REPO_DIR): Background {
  const child = spawn(command, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', () => {});
  child.on('error', () => {});
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
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
