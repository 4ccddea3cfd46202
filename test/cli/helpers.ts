// Runs the real `mailstorm` command and reads what it wrote.
import { spawn, type ChildProcess } from 'node:child_process';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ExecutionContext } from 'ava';
import type { RunResult } from '../../harness/result-schema.ts';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = path.join(REPO, 'bin', 'mailstorm.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function startCli(args: readonly string[], cwd: string): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => { stdout += c.toString(); });
  child.stderr?.on('data', (c: Buffer) => { stderr += c.toString(); });
  // Bounded: a hung CLI is killed, and the test then fails on its exit code.
  const killer = setTimeout(() => child.kill('SIGKILL'), 180_000);
  const done = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, done };
}

// At most two CLI processes at a time: the machine's two cores are shared.
let running = 0;
const waiting: (() => void)[] = [];

export async function runCli(args: readonly string[], cwd: string): Promise<CliResult> {
  if (running >= 2) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await startCli(args, cwd).done;
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** Copies a fixture scenario of ./fixtures into `dir` as `name`, its imports pointed back at this repo. */
export async function copyFixture(dir: string, fixture: string, name: string): Promise<string> {
  const source = await readFile(new URL(`./fixtures/${fixture}`, import.meta.url), 'utf8');
  const text = source
    .replace("from 'zod'", `from '${import.meta.resolve('zod')}'`)
    .replace(/from '\.\.\/\.\.\/\.\.\//g, `from '${pathToFileURL(REPO).href}`);
  // Outside a "type": "module" package a .ts file would load as CommonJS.
  await writeFile(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  const scenario = path.join(dir, name);
  await writeFile(scenario, text);
  return scenario;
}

/** A temp folder holding a copy of the fixture scenario, its imports pointed back at this repo. */
export async function fixtureDir(t: ExecutionContext): Promise<{ dir: string; scenario: string; remote: string[] }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mailstorm-cli-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const scenario = await copyFixture(dir, 'counter-scenario.ts', 'counter.ts');
  // A remote stack starts nothing; the fixture's flows never contact the endpoint named.
  const config = path.join(dir, 'stack.yaml');
  await writeFile(config, 'description: nothing is contacted\nallow: [127.0.0.1]\nsubmission: { host: 127.0.0.1, port: 9 }\n');
  return { dir, scenario, remote: ['--stack', 'remote', '--config', config] };
}

export async function readResult(outDir: string): Promise<RunResult> {
  return JSON.parse(await readFile(path.join(outDir, 'result.json'), 'utf8')) as RunResult;
}

export async function readJunit(outDir: string): Promise<string> {
  return readFile(path.join(outDir, 'junit.xml'), 'utf8');
}

/** Waits (bounded) until the fixture wrote `file`. */
/** Waits for a file the CLI writes; throws when it never appears (a loaded CI machine starts the CLI slowly). */
export async function waitFor(file: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      await access(file);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${file} did not appear within ${timeoutMs / 1000} s`);
}
