// Run ids sort by time and say what ran: 20261123T165012Z-smoke-3fa9c1.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../engine/errors.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Folders of this repository that hold output, not source. */
const OUTPUT_FOLDERS = ['results', 'test-artifacts'];

export function makeRunId(scenario: string, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${scenario}-${randomBytes(3).toString('hex')}`;
}

/** results/<run-id>/ under the working directory unless --out names a folder; never the source tree. */
export function resolveOutDir(runId: string, out: string | undefined, cwd: string = process.cwd()): string {
  const dir = out ? path.resolve(cwd, out) : path.resolve(cwd, 'results', runId);
  const inRepo = path.relative(REPO_ROOT, dir);
  const top = inRepo.split(path.sep)[0] ?? '';
  if (!inRepo.startsWith('..') && !path.isAbsolute(inRepo) && !OUTPUT_FOLDERS.includes(top)) {
    throw new InputError(`--out ${out ?? dir}: would write into mailstorm's source tree; use a folder under results/ or outside the repository`);
  }
  return dir;
}
