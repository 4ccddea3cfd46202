// Stack providers by kind, from the registered plugins (providers.ts), loaded lazily so
// `mailstorm run --stack embedded` never loads container tooling, and a missing provider is
// a clear error instead of a crash at start.
import { InputError, StackError, errorMessage } from '../engine/errors.ts';
import type { StackProvider } from './types.ts';
import type { StackPlugin } from './plugin.ts';
import { STACK_PLUGINS, type StackKind } from './providers.ts';
import { readConfigFile } from './common/config-file.ts';

export type { StackKind } from './providers.ts';

export const STACK_KINDS: readonly StackKind[] = STACK_PLUGINS.map((p) => p.kind);

function pluginOf(kind: StackKind): StackPlugin {
  return STACK_PLUGINS.find((p) => p.kind === kind) as StackPlugin;
}

export function parseStackKind(value: string): StackKind {
  if ((STACK_KINDS as readonly string[]).includes(value)) return value as StackKind;
  throw new InputError(`--stack ${value}: unknown stack; allowed: ${STACK_KINDS.join(', ')}`);
}

export async function loadProvider(kind: StackKind): Promise<StackProvider> {
  let provider: StackProvider | undefined;
  try {
    provider = await pluginOf(kind).load();
  } catch (error) {
    throw new StackError(`the ${kind} stack provider could not be loaded (stack/${kind}/index.ts): ${errorMessage(error)}`);
  }
  if (!provider || typeof provider.start !== 'function' || provider.kind !== kind) {
    throw new StackError(`stack/${kind}/plugin.ts does not load a ${kind} stack provider`);
  }
  return provider;
}

/** Reads --config: a YAML mapping the provider of `kind` checks with its own schema. */
export async function loadStackConfig(file: string, kind: StackKind): Promise<Record<string, unknown>> {
  const plugin = pluginOf(kind);
  if (!plugin.parseConfig) {
    const taking = STACK_PLUGINS.filter((p) => 'parseConfig' in p).map((p) => p.kind);
    throw new InputError(`--config ${file}: only the ${taking.join(' and ')} stacks take a config file`);
  }
  const value = await readConfigFile(file);
  // Checked now, so a bad key fails in a second instead of after images were built.
  plugin.parseConfig(value, file);
  return value;
}
