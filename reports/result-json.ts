// Writes result.json, the versioned record every other report and `compare` reads.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Reporter } from '../harness/reporter.ts';
import type { RunResult } from '../harness/result-schema.ts';

export const RESULT_FILE = 'result.json';

/** Written beside result.json, then renamed over it: a reader never sees half a file. */
const tempName = (sync = false) => `${RESULT_FILE}.${process.pid}${sync ? '.sync' : ''}.tmp`;

export async function writeResultJson(result: RunResult, outDir: string): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const file = path.join(outDir, RESULT_FILE);
  const temp = path.join(outDir, tempName());
  await writeFile(temp, `${JSON.stringify(result, null, 2)}\n`);
  await rename(temp, file);
  return file;
}

/** For the second Ctrl-C: the process exits right after, so nothing may be left pending. */
export function writeResultJsonSync(result: RunResult, outDir: string): string {
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, RESULT_FILE);
  const temp = path.join(outDir, tempName(true));
  writeFileSync(temp, `${JSON.stringify(result, null, 2)}\n`);
  renameSync(temp, file);
  return file;
}

export function resultJsonReporter(): Reporter {
  return {
    onBegin() {},
    async onCheckpoint(result, outDir) {
      await writeResultJson(result, outDir);
    },
    async onEnd(result, outDir) {
      await writeResultJson(result, outDir);
    },
  };
}
