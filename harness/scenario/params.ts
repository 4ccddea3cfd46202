// Turns --set/--scale/--duration into validated scenario parameters. Values from the
// command line are strings; each is converted by the type its zod field declares.
import type { z } from 'zod';
import { InputError } from '../../engine/errors.ts';
import { parseDuration } from '../../engine/duration.ts';
import type { ParamsSchema, ScenarioDefinition } from './types.ts';

export type ParamKind = 'number' | 'boolean' | 'enum' | 'string' | 'other';

export interface ParamInfo {
  key: string;
  kind: ParamKind;
  /** enum members, when kind is enum */
  values?: string[];
  default?: unknown;
  description?: string;
  optional: boolean;
}

export interface ParamOverrides {
  /** raw "key=value" strings from --set */
  set?: readonly string[];
  scale?: number;
  /** raw --duration value, e.g. "90s" */
  duration?: string;
}

/** What a secret parameter's value is replaced with wherever the run writes it down (one marker for every secret). */
export { REDACTED } from '../../engine/secrets.ts';
import { REDACTED } from '../../engine/secrets.ts';

// Keyed by the field's definition, which .describe() and other clones share.
const SECRETS = new WeakSet<object>();

/**
 * Marks a parameter as a secret (a password, a token): flows get its value, but result.json,
 * the reports, the reproduce command and error messages show REDACTED instead.
 */
export function secret<T extends z.ZodType>(field: T): T {
  SECRETS.add(field._zod.def);
  return field;
}

type AnyField = z.ZodType & { _zod: { def: { type: string; innerType?: AnyField; entries?: Record<string, unknown>; in?: AnyField } } };

/** Strips default/optional/nullable wrappers to reach the field's own type. */
function unwrap(field: AnyField): { inner: AnyField; optional: boolean } {
  let inner = field;
  let optional = false;
  for (let i = 0; i < 10; i++) {
    const def = inner._zod.def;
    if (['default', 'prefault', 'optional', 'nullable', 'readonly', 'catch'].includes(def.type) && def.innerType) {
      if (def.type !== 'nullable' && def.type !== 'readonly') optional = true;
      inner = def.innerType;
    } else if (def.type === 'pipe' && def.in) {
      inner = def.in;
    } else break;
  }
  return { inner, optional };
}

/** The keys of a scenario's secret parameters (marked with secret(), under any default or optional). */
export function secretKeys(schema: ParamsSchema): string[] {
  return Object.entries(schema.shape).filter(([, raw]) => {
    let field: AnyField | undefined = raw as unknown as AnyField;
    for (let i = 0; field && i < 10; i++) {
      if (SECRETS.has(field._zod.def)) return true;
      field = field._zod.def.innerType ?? field._zod.def.in;
    }
    return false;
  }).map(([key]) => key);
}

/** The parameters as they may be written down: every secret one that is set shows REDACTED. */
export function redactParams(schema: ParamsSchema, params: Record<string, unknown>): Record<string, unknown> {
  const out = { ...params };
  for (const key of secretKeys(schema)) if (out[key] !== undefined) out[key] = REDACTED;
  return out;
}

/** --set pairs as they may be written down: a secret parameter's value shows REDACTED. */
export function redactSetPairs(schema: ParamsSchema, pairs: readonly string[]): string[] {
  const secrets = new Set(secretKeys(schema));
  return pairs.map((pair) => {
    const eq = pair.indexOf('=');
    return eq > 0 && secrets.has(pair.slice(0, eq).trim()) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
  });
}

/** Describes every parameter of a scenario: type, default, description (for `list --verbose` and errors). */
export function describeParams(schema: ParamsSchema): ParamInfo[] {
  const defaults = defaultParams(schema);
  return Object.entries(schema.shape).map(([key, raw]) => {
    const field = raw as unknown as AnyField;
    const { inner, optional } = unwrap(field);
    const type = inner._zod.def.type;
    const kind: ParamKind = type === 'number' || type === 'int' ? 'number'
      : type === 'boolean' ? 'boolean'
      : type === 'enum' ? 'enum'
      : type === 'string' ? 'string'
      : 'other';
    const isSecret = secretKeys(schema).includes(key);
    const info: ParamInfo = { key, kind, optional, default: isSecret && defaults[key] !== undefined ? REDACTED : defaults[key] };
    if (kind === 'enum') info.values = Object.values(inner._zod.def.entries ?? {}).map(String);
    const description = field.description ?? inner.description;
    if (description) info.description = description;
    return info;
  });
}

function defaultParams(schema: ParamsSchema): Record<string, unknown> {
  const parsed = schema.safeParse({});
  return parsed.success ? (parsed.data as Record<string, unknown>) : {};
}

function allowedKeys(infos: readonly ParamInfo[]): string {
  return infos.map((p) => p.key).join(', ') || '(this scenario has no parameters)';
}

function convert(info: ParamInfo, text: string): unknown {
  const where = `--set ${info.key}=${info.default === REDACTED ? REDACTED : text}`;
  switch (info.kind) {
    case 'number': {
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n)) throw new InputError(`${where}: ${info.key} must be a number`);
      return n;
    }
    case 'boolean':
      if (/^(true|yes|1|on)$/i.test(text)) return true;
      if (/^(false|no|0|off)$/i.test(text)) return false;
      throw new InputError(`${where}: ${info.key} must be true or false`);
    case 'enum':
      if (!info.values?.includes(text)) throw new InputError(`${where}: ${info.key} must be one of ${info.values?.join(', ')}`);
      return text;
    case 'string':
      return text;
    default:
      // Structured parameters take JSON so they can still be set from the command line.
      try {
        return JSON.parse(text);
      } catch {
        throw new InputError(`${where}: ${info.key} takes a JSON value`);
      }
  }
}

/** Parses "key=value" pairs against the schema; unknown keys and wrong types are InputErrors. */
export function parseSetValues(schema: ParamsSchema, pairs: readonly string[]): Record<string, unknown> {
  const infos = describeParams(schema);
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new InputError(`--set ${pair}: expected key=value (allowed keys: ${allowedKeys(infos)})`);
    const key = pair.slice(0, eq).trim();
    const info = infos.find((p) => p.key === key);
    if (!info) throw new InputError(`--set ${key}: unknown parameter; allowed keys: ${allowedKeys(infos)}`);
    out[key] = convert(info, pair.slice(eq + 1));
  }
  return out;
}

/** Validates a full parameter object; messages name the key and what is allowed. */
export function validateParams<S extends ParamsSchema>(schema: S, input: Record<string, unknown>, what = '--set'): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const secrets = new Set(secretKeys(schema));
  const lines = result.error.issues.map((issue) => {
    const key = issue.path.join('.') || '(params)';
    const value = issue.path.length ? input[String(issue.path[0])] : undefined;
    const shown = value === undefined ? '' : `=${secrets.has(String(issue.path[0])) ? REDACTED : JSON.stringify(value)}`;
    return `${what} ${key}${shown}: ${issue.message}`;
  });
  throw new InputError(lines.join('\n'));
}

/** Defaults, then --set, then --duration, validated; then --scale applied and validated again. */
export function resolveParams<S extends ParamsSchema, D>(
  scenario: ScenarioDefinition<S, D>,
  overrides: ParamOverrides,
): { params: z.output<S>; scale: number } {
  const values = parseSetValues(scenario.params, overrides.set ?? []);
  if (overrides.duration !== undefined) {
    if (!('duration' in scenario.params.shape)) {
      throw new InputError(`--duration: scenario "${scenario.name}" has no duration parameter; allowed keys: ${allowedKeys(describeParams(scenario.params))}`);
    }
    parseDuration(overrides.duration, '--duration');
    values['duration'] = overrides.duration;
  }
  let params = validateParams(scenario.params, values);
  const scale = overrides.scale ?? 1;
  if (!Number.isFinite(scale) || scale <= 0) throw new InputError(`--scale: expected a number > 0, got ${overrides.scale}`);
  if (scale !== 1) {
    if (!scenario.scale) throw new InputError(`--scale: scenario "${scenario.name}" cannot be scaled`);
    const scaled = scenario.scale(params, scale) as Record<string, unknown>;
    params = validateParams(scenario.params, scaled, `--scale ${scale}:`);
  }
  return { params, scale };
}
