// Finds a scenario: a built-in by name, or a .ts/.js file by path (imported through tsx,
// which bin/mailstorm.js registers). A file's default export must be a defineScenario() result.
import { access } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError, errorMessage } from '../../engine/errors.ts';
import type { ScenarioDefinition } from './types.ts';

export interface LoadedScenario {
  definition: ScenarioDefinition;
  /** "builtin:<name>" or the absolute file path */
  file: string;
  /** URL of the module whose default export is the scenario: what a worker thread imports. */
  moduleUrl?: string;
}

const FILE_PATTERN = /\.(ts|mts|js|mjs)$/;

export function looksLikeFile(ref: string): boolean {
  return FILE_PATTERN.test(ref) || ref.includes('/') || ref.includes(path.sep);
}

/** Where built-in scenarios come from (scenarios/index.ts); the engine does not import them. */
export interface BuiltInSource {
  names(): string[];
  load(name: string): Promise<ScenarioDefinition>;
  /** URL of a built-in's module, for worker threads that load it themselves. */
  moduleUrl?(name: string): string;
}

export async function loadScenario(
  ref: string,
  builtIns: BuiltInSource,
  cwd: string = process.cwd(),
): Promise<LoadedScenario> {
  if (!looksLikeFile(ref)) {
    if (!builtIns.names().includes(ref)) {
      const names = builtIns.names().join(', ');
      throw new InputError(`unknown scenario "${ref}"; built-in scenarios: ${names} (or give a path to a .ts/.js scenario file)`);
    }
    const moduleUrl = builtIns.moduleUrl?.(ref);
    return { definition: await builtIns.load(ref), file: `builtin:${ref}`, ...(moduleUrl ? { moduleUrl } : {}) };
  }
  const file = path.resolve(cwd, ref);
  if (!FILE_PATTERN.test(file)) throw new InputError(`scenario file ${ref}: expected a .ts, .mts, .js or .mjs file`);
  try {
    await access(file);
  } catch {
    throw new InputError(`scenario file ${ref}: cannot read ${file}`);
  }
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (error) {
    const hint = /require\(\) ES Module|Cannot use import statement/.test(errorMessage(error))
      ? ' (name the file .mts, or put it in a folder whose package.json has "type": "module")'
      : '';
    throw new InputError(`scenario file ${ref}: failed to load: ${errorMessage(error)}${hint}`);
  }
  return { definition: checkScenarioShape(mod.default, ref), file, moduleUrl: pathToFileURL(file).href };
}

/** Rejects anything that is not shaped like a ScenarioDefinition, naming what is wrong. */
export function checkScenarioShape(value: unknown, where: string): ScenarioDefinition {
  const problems: string[] = [];
  if (typeof value !== 'object' || value === null) {
    throw new InputError(`scenario file ${where}: the default export must be a scenario (export default defineScenario({...}))`);
  }
  const s = value as Record<string, unknown>;
  for (const key of ['name', 'description', 'incident'] as const) {
    if (typeof s[key] !== 'string' || s[key] === '') problems.push(`${key} must be a non-empty string`);
  }
  if (typeof s['name'] === 'string' && !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(s['name'])) problems.push('name must be kebab-case');
  const params = s['params'] as { shape?: unknown; safeParse?: unknown } | undefined;
  if (!params || typeof params.safeParse !== 'function' || typeof params.shape !== 'object') {
    problems.push('params must be a zod object schema (z.object({...}))');
  }
  if (typeof s['options'] !== 'function') problems.push('options must be a function (params) => k6 options');
  const flows = s['flows'];
  if (typeof flows !== 'object' || flows === null || Object.keys(flows).length === 0) {
    problems.push('flows must be an object of async flow functions');
  } else {
    for (const [name, fn] of Object.entries(flows)) if (typeof fn !== 'function') problems.push(`flows.${name} must be a function`);
  }
  for (const key of ['scale', 'timeCompression', 'stack', 'setup', 'chaos', 'monitor', 'drain', 'finish', 'teardown']) {
    if (s[key] !== undefined && typeof s[key] !== 'function') problems.push(`${key} must be a function when given`);
  }
  if (problems.length) throw new InputError(`scenario file ${where}: ${problems.join('; ')}`);
  return value as ScenarioDefinition;
}
