// `mailstorm compare` on two capacity runs: the knee's throughput against a tolerance.
import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../engine/errors.ts';
import { compareCapacity, findCapacityFile } from '../capacity/compare-capacity.ts';

/** Compares when both sides are capacity runs and returns the exit code; undefined when neither is. */
export async function compareCapacityRuns(baseline: string, candidate: string, out: string, toleranceText: string, stdout: NodeJS.WritableStream): Promise<number | undefined> {
  const [b, c] = [await findCapacityFile(baseline), await findCapacityFile(candidate)];
  if (!b && !c) return undefined;
  if (!b || !c) throw new InputError(`${b ? candidate : baseline} is not a capacity run (no capacity.json), but ${b ? baseline : candidate} is: compare two capacity runs, or two scenario runs`);
  const tolerance = Number(toleranceText.replace(/%$/, '')) / (toleranceText.endsWith('%') ? 100 : 1);
  if (!Number.isFinite(tolerance) || tolerance < 0 || tolerance >= 1) throw new InputError(`--knee-tolerance must be a share like 10% or 0.1, got "${toleranceText}"`);
  const comparison = await compareCapacity(b, c, tolerance);
  await mkdir(out, { recursive: true });
  const file = path.join(out, 'capacity-compare.json');
  await writeFile(file, `${JSON.stringify(comparison, null, 2)}\n`);
  stdout.write(`capacity ${comparison.verdict}\nwrote ${file}\n`);
  return comparison.regression ? 1 : 0;
}
