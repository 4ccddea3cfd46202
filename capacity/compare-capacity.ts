// Two capacity runs side by side: the knee moving down by more than a tolerance is a
// regression (the candidate holds less load before it breaks), as is losing the knee.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../engine/errors.ts';
import { CAPACITY_SCHEMA_VERSION, type CapacityResult } from './types.ts';

export const DEFAULT_KNEE_TOLERANCE = 0.1;

export interface CapacityComparison {
  baseline: { path: string; knee: number | null; achieved: number | null; peak: number | null };
  candidate: { path: string; knee: number | null; achieved: number | null; peak: number | null };
  /** candidate knee / baseline knee − 1 */
  kneeChange: number | null;
  tolerance: number;
  regression: boolean;
  verdict: string;
}

/** A capacity.json, or a folder that holds one; undefined when the path is neither. */
export async function findCapacityFile(input: string): Promise<string | undefined> {
  const full = path.resolve(input);
  const info = await stat(full).catch(() => undefined);
  if (!info) return undefined;
  const file = info.isDirectory() ? path.join(full, 'capacity.json') : full;
  if (path.basename(file) !== 'capacity.json') return undefined;
  return (await stat(file).catch(() => undefined)) ? file : undefined;
}

async function load(file: string): Promise<CapacityResult> {
  let parsed: Partial<CapacityResult>;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<CapacityResult>;
  } catch (error) {
    throw new InputError(`${file}: not readable as capacity.json (${error instanceof Error ? error.message : String(error)})`);
  }
  if (parsed.kind !== 'capacity' || parsed.schemaVersion !== CAPACITY_SCHEMA_VERSION) throw new InputError(`${file}: not a capacity.json of schema version ${CAPACITY_SCHEMA_VERSION}`);
  return parsed as CapacityResult;
}

export async function compareCapacity(baselineFile: string, candidateFile: string, tolerance = DEFAULT_KNEE_TOLERANCE): Promise<CapacityComparison> {
  const [b, c] = [await load(baselineFile), await load(candidateFile)];
  if (b.scenario !== c.scenario || b.param !== c.param) throw new InputError(`cannot compare capacity of ${b.scenario} (${b.param}) with ${c.scenario} (${c.param})`);
  const side = (file: string, r: CapacityResult) => ({ path: file, knee: r.knee?.level ?? null, achieved: r.knee?.achieved ?? null, peak: r.fit?.peakThroughput ?? null });
  const baseline = side(baselineFile, b);
  const candidate = side(candidateFile, c);
  // Knees compare by the throughput they held, so different step grids still compare.
  const kneeChange = baseline.achieved && candidate.achieved !== null ? candidate.achieved / baseline.achieved - 1 : null;
  let regression: boolean;
  let verdict: string;
  if (baseline.knee !== null && candidate.knee === null) {
    regression = true;
    verdict = `regression: the baseline had a knee at ${b.param}=${baseline.knee}, the candidate kept up at no step`;
  } else if (kneeChange === null) {
    regression = false;
    verdict = 'no knee on the baseline side: nothing to regress from';
  } else {
    regression = kneeChange < -tolerance;
    const pct = `${(kneeChange * 100).toFixed(1)} %`;
    verdict = `${regression ? 'regression' : 'ok'}: throughput at the knee ${baseline.achieved!.toFixed(1)}/s -> ${candidate.achieved!.toFixed(1)}/s (${pct}; tolerance -${(tolerance * 100).toFixed(0)} %), knee ${b.param}=${baseline.knee} -> ${candidate.knee}`;
  }
  return { baseline, candidate, kneeChange, tolerance, regression, verdict };
}
