// Reads one side of a comparison: a result.json, a run directory, or a suite directory.
import { readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { InputError, errorMessage } from '../../engine/errors.ts';
import type { RunResult, SuiteResult } from '../../harness/result-schema.ts';

export interface LoadedRun {
  result: RunResult;
  /** where result.json was read from */
  file: string;
}

export type Side =
  | { kind: 'run'; label: string; path: string; run: LoadedRun }
  | { kind: 'suite'; label: string; path: string; suite: SuiteResult; runs: LoadedRun[] };

async function isDir(path: string): Promise<boolean | undefined> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return undefined;
  }
}

async function readJson(file: string, label: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError(`${label}: cannot read ${file}: ${errorMessage(error)}`);
  }
  try {
    const data: unknown = JSON.parse(text);
    if (data && typeof data === 'object' && !Array.isArray(data)) return data as Record<string, unknown>;
  } catch (error) {
    throw new InputError(`${label}: ${file} is not valid JSON: ${errorMessage(error)}`);
  }
  throw new InputError(`${label}: ${file} does not hold a JSON object`);
}

/** Checks the fields compare reads; the schema version is checked against the other side later. */
function asRunResult(data: Record<string, unknown>, file: string, label: string): RunResult {
  const scenario = data['scenario'] as { name?: unknown } | undefined;
  if (typeof data['schemaVersion'] !== 'number') throw new InputError(`${label}: ${file} has no schemaVersion; it is not a mailstorm result.json`);
  if (data['schemaVersion'] === 1) {
    const missing = ['gates', 'metrics', 'series', 'events', 'chaos'].filter((k) => !Array.isArray(data[k]));
    if (typeof scenario?.name !== 'string') missing.unshift('scenario.name');
    if (missing.length) throw new InputError(`${label}: ${file} is not a complete result.json (missing ${missing.join(', ')})`);
  }
  return data as unknown as RunResult;
}

async function loadRun(file: string, label: string): Promise<LoadedRun> {
  return { result: asRunResult(await readJson(file, label), file, label), file };
}

async function loadSuite(file: string, data: Record<string, unknown>, label: string): Promise<Side> {
  const suite = data as unknown as SuiteResult;
  if (!Array.isArray(suite.runs)) throw new InputError(`${label}: ${file} has no runs list; it is not a mailstorm suite.json`);
  const base = dirname(file);
  const runs: LoadedRun[] = [];
  for (const run of suite.runs) {
    const dir = isAbsolute(run.dir) ? run.dir : join(base, run.dir);
    runs.push(await loadRun(join(dir, 'result.json'), `${label} (${run.scenario})`));
  }
  return { kind: 'suite', label, path: file, suite, runs };
}

/** `label` ("baseline", "candidate") prefixes every error so the user knows which side is wrong. */
export async function loadSide(path: string, label: string): Promise<Side> {
  const full = resolve(path);
  const dir = await isDir(full);
  if (dir === undefined) throw new InputError(`${label}: ${path} does not exist (give a result.json, a run folder or a suite folder)`);
  let file = full;
  if (dir) {
    if (await isDir(join(full, 'suite.json')) === false) file = join(full, 'suite.json');
    else if (await isDir(join(full, 'result.json')) === false) file = join(full, 'result.json');
    else throw new InputError(`${label}: ${path} holds neither result.json nor suite.json`);
  }
  const data = await readJson(file, label);
  if (Array.isArray(data['runs']) && typeof data['suite'] === 'string') return loadSuite(file, data, label);
  return { kind: 'run', label, path: file, run: { result: asRunResult(data, file, label), file } };
}
