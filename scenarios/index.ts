// The built-in scenarios `mailstorm run <name>` and `mailstorm list` know. Each module is
// imported only when needed, so `run smoke` never loads the incident replays, and one
// module that fails to load cannot take the others down.
import path from 'node:path';
import { checkScenarioShape } from '../harness/scenario/load.ts';
import { StackError, errorMessage } from '../engine/errors.ts';
import type { ScenarioDefinition } from '../harness/scenario/types.ts';

/** scenario name -> module (relative to this folder) whose default export is the scenario */
export const BUILT_IN_MODULES: Readonly<Record<string, string>> = {
  smoke: './smoke.ts',
  'reply-all-storm': './reply-all-storm/index.ts',
  'mass-lockout': './mass-lockout/index.ts',
  'weekend-migration': './weekend-migration/index.ts',
  'leak-failover': './leak-failover/index.ts',
  cutover: './cutover/index.ts',
  'user-day': './user-day/index.ts',
};

export interface BuiltInScenarios {
  names(): string[];
  /** Loads one by name; a module that fails to load is a harness error (exit 3). */
  load(name: string): Promise<ScenarioDefinition>;
  /** URL of a built-in's module (worker threads import it themselves). */
  moduleUrl(name: string): string;
}

export const builtIns: BuiltInScenarios = {
  names: () => Object.keys(BUILT_IN_MODULES),
  moduleUrl: (name) => new URL(BUILT_IN_MODULES[name] ?? './index.ts', import.meta.url).href,
  async load(name) {
    const file = BUILT_IN_MODULES[name];
    if (!file) throw new StackError(`no built-in scenario "${name}"`);
    let mod: { default?: unknown };
    try {
      const specifier: string = new URL(file, import.meta.url).href;
      mod = (await import(specifier)) as { default?: unknown };
    } catch (error) {
      throw new StackError(`built-in scenario ${name} (scenarios/${path.normalize(file)}) failed to load: ${errorMessage(error)}`);
    }
    const definition = checkScenarioShape(mod.default, `scenarios/${path.normalize(file)}`);
    if (definition.name !== name) throw new StackError(`scenarios/${path.normalize(file)} is named "${definition.name}", registered as "${name}"`);
    return definition;
  },
};

/** Every built-in that loads, and a message for each that does not (for `mailstorm list`). */
export async function loadAllBuiltIns(): Promise<{ scenarios: ScenarioDefinition[]; failures: { name: string; message: string }[] }> {
  const scenarios: ScenarioDefinition[] = [];
  const failures: { name: string; message: string }[] = [];
  for (const name of builtIns.names()) {
    try {
      scenarios.push(await builtIns.load(name));
    } catch (error) {
      failures.push({ name, message: errorMessage(error) });
    }
  }
  return { scenarios, failures };
}
