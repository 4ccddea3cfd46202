// Runs the real mailstorm CLI on a scenario file and reads the result.json it writes.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunResult } from '../../harness/result-schema.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  result: RunResult;
}

/** `node bin/mailstorm.js run <file> --set ... --seed N --out <tmp> --quiet`; the output folder is removed afterwards. */
export async function runScenario(file: string, sets: readonly string[], seed = 1): Promise<CliRun> {
  const out = await mkdtemp(path.join(tmpdir(), 'mailstorm-scenario-'));
  try {
    const args = ['bin/mailstorm.js', 'run', file, ...sets.flatMap((s) => ['--set', s]), '--seed', String(seed), '--out', out, '--quiet'];
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, args, { cwd: ROOT, timeout: 280_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
        const status = (error as { code?: unknown } | null)?.code;
        resolve({ code: error ? (typeof status === 'number' ? status : -1) : 0, stdout, stderr });
      });
    });
    const result = JSON.parse(await readFile(path.join(out, 'result.json'), 'utf8')) as RunResult;
    return { code, stdout, stderr, result };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

/** Gate by metric name (the first expression of it). */
export function gate(result: RunResult, metric: string) {
  const found = result.gates.find((g) => g.metric === metric);
  if (!found) throw new Error(`no gate on ${metric}; gates: ${result.gates.map((g) => g.metric).join(', ')}`);
  return found;
}
