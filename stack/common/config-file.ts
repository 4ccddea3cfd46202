// Reads a --config file: a YAML mapping of settings, or an InputError naming the file.
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { InputError, errorMessage } from '../../engine/errors.ts';

export async function readConfigFile(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError(`--config ${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)})`);
  }
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    throw new InputError(`--config ${file}: not valid YAML: ${errorMessage(error)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(`--config ${file}: expected a YAML mapping of settings`);
  }
  return value as Record<string, unknown>;
}
