// Stack providers by kind, loaded lazily so `mailstorm run --stack embedded` never loads
// container tooling, and a missing provider is a clear error instead of a crash at start.
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { InputError, StackError, errorMessage } from '../engine/errors.ts';
import type { StackKind, StackProvider } from './types.ts';

export const STACK_KINDS: readonly StackKind[] = ['embedded', 'docker', 'remote'];

const MODULES: Record<StackKind, { file: string; exportName: string }> = {
  embedded: { file: './embedded/index.ts', exportName: 'embeddedProvider' },
  docker: { file: './docker/index.ts', exportName: 'dockerProvider' },
  remote: { file: './remote/index.ts', exportName: 'remoteProvider' },
};

export function parseStackKind(value: string): StackKind {
  if ((STACK_KINDS as readonly string[]).includes(value)) return value as StackKind;
  throw new InputError(`--stack ${value}: unknown stack; allowed: ${STACK_KINDS.join(', ')}`);
}

export async function loadProvider(kind: StackKind): Promise<StackProvider> {
  const entry = MODULES[kind];
  let mod: Record<string, unknown>;
  try {
    // A variable specifier keeps providers out of the static import graph.
    const specifier: string = entry.file;
    mod = (await import(new URL(specifier, import.meta.url).href)) as Record<string, unknown>;
  } catch (error) {
    throw new StackError(`the ${kind} stack provider could not be loaded (stack/${kind}/index.ts): ${errorMessage(error)}`);
  }
  const provider = mod[entry.exportName] as StackProvider | undefined;
  if (!provider || typeof provider.start !== 'function') {
    throw new StackError(`stack/${kind}/index.ts does not export ${entry.exportName}`);
  }
  return provider;
}

/** Reads --config: a YAML mapping handed to the docker or remote provider. */
export async function loadStackConfig(file: string, kind: StackKind): Promise<Record<string, unknown>> {
  if (kind === 'embedded') throw new InputError(`--config ${file}: only the docker and remote stacks take a config file`);
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
  // Checked now, so a bad key fails in a second instead of after images were built.
  if (kind === 'remote') {
    const { parseRemoteConfig } = await import('./remote/config.ts');
    parseRemoteConfig(value, file);
  } else {
    const { dockerConfig } = await import('./docker/config.ts');
    dockerConfig(value as Record<string, unknown>);
  }
  return value as Record<string, unknown>;
}
