// A suite of the user's own, in a YAML or JSON file: supplier acceptance lists and nightly
// runs need not live in this repo. Scenario paths in it are relative to the file.
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { InputError, errorMessage } from '../engine/errors.ts';
import type { SuiteDefinition } from './suites.ts';

const entrySchema = z.strictObject({
  scenario: z.string().min(1),
  set: z.array(z.string().regex(/^[^=]+=/, 'expected key=value')).optional(),
  scale: z.number().positive().optional(),
});

const suiteSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/i, 'use letters, digits and dashes'),
  description: z.string().default(''),
  entries: z.array(entrySchema).min(1),
});

/** true when the argument names a suite file rather than a built-in suite. */
export function isSuiteFile(ref: string): boolean {
  return /\.(ya?ml|json)$/i.test(ref);
}

export async function loadSuiteFile(file: string): Promise<SuiteDefinition> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError(`suite file ${file}: cannot read it (${errorMessage(error)})`);
  }
  let data: unknown;
  try {
    data = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new InputError(`suite file ${file}: not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'} (${errorMessage(error)})`);
  }
  const parsed = suiteSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : '(top level)';
    throw new InputError(`suite file ${file}: ${where}: ${issue?.message ?? 'invalid'} (a suite has name, description, entries: [{scenario, set?, scale?}])`);
  }
  const base = path.dirname(path.resolve(file));
  return {
    ...parsed.data,
    entries: parsed.data.entries.map((e) => ({
      ...e,
      // a path-like entry is relative to the suite file; a bare name is a built-in scenario
      scenario: /[\\/]|\.[cm]?[jt]s$/.test(e.scenario) ? path.resolve(base, e.scenario) : e.scenario,
    })),
  };
}
