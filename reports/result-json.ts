// Writes result.json, the versioned record every other report and `compare` reads.
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Reporter } from '../harness/reporter.ts';
import type { RunResult } from '../harness/result-schema.ts';

export const RESULT_FILE = 'result.json';

export async function writeResultJson(result: RunResult, outDir: string): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const file = path.join(outDir, RESULT_FILE);
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

/** For the second Ctrl-C: the process exits right after, so nothing may be left pending. */
export function writeResultJsonSync(result: RunResult, outDir: string): string {
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, RESULT_FILE);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

export function resultJsonReporter(): Reporter {
  return {
    onBegin() {},
    async onEnd(result, outDir) {
      await writeResultJson(result, outDir);
    },
  };
}
