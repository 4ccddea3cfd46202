// Options shared by `run` and `suite`, and their parsing into what a run needs.
import { availableParallelism } from 'node:os';
import { Command, InvalidArgumentError, Option } from 'commander';
import { parseDuration } from '../engine/duration.ts';
import { InputError } from '../engine/errors.ts';
import { resolveRigLimits } from '../harness/rig/limits.ts';
import type { RigLimits } from '../harness/rig/types.ts';
import { STACK_KINDS, loadStackConfig, parseStackKind } from '../stack/index.ts';
import type { StackKind } from '../stack/providers.ts';
import {
  ExecutionTuple,
  parseExecutionSegment,
  parseExecutionSegmentSequence,
  segmentString,
  sequenceString,
  type ExecutionSegment,
} from '../engine/executors/execution-segment.ts';

export interface RawRunOptions {
  stack: string;
  config?: string;
  set: string[];
  scale?: number;
  duration?: string;
  seed: number;
  out?: string;
  quiet?: boolean;
  toxiproxy?: string;
  executionSegment?: ExecutionSegment;
  executionSegmentSequence?: ExecutionSegment[];
  rigLimit: string[];
  redact?: boolean;
  workers?: number;
}

export interface StackChoice {
  kind: StackKind;
  config?: Record<string, unknown>;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function positiveNumber(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${flag} must be a number > 0`);
    return n;
  };
}

function seedValue(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new InvalidArgumentError('--seed must be an integer from 0 to 4294967295');
  return n;
}

function durationValue(value: string): string {
  try {
    parseDuration(value, '--duration');
  } catch {
    throw new InvalidArgumentError(`"${value}" is not a duration (use e.g. 90s, 5m, 1h30m)`);
  }
  return value;
}

export function addRunOptions(command: Command): Command {
  return command
    .addOption(new Option('--stack <kind>', 'stack to run against').choices([...STACK_KINDS]).default('embedded'))
    .option('--config <file>', 'YAML settings for the stack (embedded: tls, auth; docker; remote: endpoints, allow-list, TLS, auth)')
    .option('--toxiproxy <url>', 'Toxiproxy API of a remote stack (overrides the config\'s toxiproxy key), e.g. http://host:8474', toxiproxyUrl)
    .option('--set <key=value>', 'set a scenario parameter (repeatable)', collect, [])
    .option('--scale <factor>', 'grow the scenario\'s volumes by this factor', positiveNumber('--scale'))
    .option('--duration <duration>', 'set the scenario\'s duration parameter (e.g. 90s, 5m)', durationValue)
    .option('--seed <n>', 'seed of every random choice, for reproducible runs', seedValue, 1)
    .option('--out <dir>', 'output folder (default results/<run-id>/)')
    .option('-q, --quiet', 'no live progress; one summary line')
    .option('--redact', 'replace account names (e-mail addresses) by a stable hash, user-<8 hex>@<domain>, in result.json, the reports, junit, logs and the reproduce command')
    .option('--execution-segment <a:b>', 'run only this share of every executor, as k6 does (e.g. 0:1/3, 1/3:2/3)', asInvalidArgument(parseExecutionSegment))
    .option('--execution-segment-sequence <r0,...,rn>', 'the segments the test is split into, as k6 does (e.g. 0,1/3,2/3,1)', asInvalidArgument(parseExecutionSegmentSequence))
    .option('--workers <n>', 'worker threads that split every executor by execution segments, as k6 splits a test between instances (a positive integer, or auto: one per core; default 1: all on the main thread)', workersValue)
    .option('--rig-limit <figure=value>', 'change a rig limit above which the harness counts as overloaded and the run is inconclusive (repeatable; e.g. eventLoopDelayP99Ms=500, cpuWaitShare=none)', rigLimitValue, []);
}

/** `--workers`: a positive integer, or `auto` for one per core. */
export function workersValue(value: string): number {
  if (value.trim() === 'auto') return availableParallelism();
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`--workers must be a positive integer or auto, got "${value}"`);
  return n;
}

/** --workers as a run request field (absent when 1, today's one-thread engine). */
export function workersOption(raw: RawRunOptions): { workers?: number } {
  return raw.workers !== undefined && raw.workers > 1 ? { workers: raw.workers } : {};
}

function rigLimitValue(value: string, previous: string[]): string[] {
  asInvalidArgument((v: string) => resolveRigLimits([v]))(value);
  return [...previous, value];
}

/** The rig limits of --rig-limit over the defaults; undefined when none was given. */
export function resolveRigLimitOptions(raw: RawRunOptions): RigLimits | undefined {
  return raw.rigLimit.length ? resolveRigLimits(raw.rigLimit) : undefined;
}

function asInvalidArgument<T>(parse: (value: string) => T) {
  return (value: string): T => {
    try {
      return parse(value);
    } catch (error) {
      throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
    }
  };
}

/** The execution segment of --execution-segment(-sequence); undefined for the whole test. */
export function resolveSegment(raw: RawRunOptions): ExecutionTuple | undefined {
  if (raw.executionSegment === undefined && raw.executionSegmentSequence === undefined) return undefined;
  if (raw.executionSegment === undefined) throw new InputError('--execution-segment-sequence needs --execution-segment (which of its segments this run is)');
  const tuple = new ExecutionTuple(raw.executionSegment, raw.executionSegmentSequence);
  return tuple.full ? undefined : tuple;
}

function toxiproxyUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`"${value}" is not a URL (e.g. http://toxiproxy.test.example:8474)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError('--toxiproxy must be an http:// or https:// URL');
  return value;
}

export async function resolveStack(raw: RawRunOptions): Promise<StackChoice> {
  const kind = parseStackKind(raw.stack);
  if (raw.toxiproxy !== undefined && kind !== 'remote') {
    throw new InputError(`--toxiproxy names the Toxiproxy of a remote stack; --stack ${kind} starts its own`);
  }
  if (!raw.config) return { kind };
  const config = await loadStackConfig(raw.config, kind);
  return { kind, config: raw.toxiproxy === undefined ? config : { ...config, toxiproxy: raw.toxiproxy } };
}

/**
 * The command line that reproduces a run (quoted for a POSIX shell); `set` as written down,
 * so secret values already redacted (redactSetPairs).
 */
export function reproduceCommand(scenarioRef: string, raw: RawRunOptions, set: readonly string[]): string {
  const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  const parts = ['mailstorm', 'run', scenarioRef, '--stack', raw.stack, '--seed', String(raw.seed)];
  if (raw.config) parts.push('--config', raw.config);
  if (raw.toxiproxy) parts.push('--toxiproxy', raw.toxiproxy);
  for (const s of set) parts.push('--set', s);
  if (raw.scale !== undefined) parts.push('--scale', String(raw.scale));
  if (raw.duration !== undefined) parts.push('--duration', raw.duration);
  if (raw.executionSegment !== undefined) parts.push('--execution-segment', segmentString(raw.executionSegment));
  if (raw.executionSegmentSequence !== undefined) parts.push('--execution-segment-sequence', sequenceString(raw.executionSegmentSequence));
  for (const limit of raw.rigLimit) parts.push('--rig-limit', limit);
  if (raw.redact) parts.push('--redact');
  if (raw.workers !== undefined && raw.workers > 1) parts.push('--workers', String(raw.workers));
  return parts.map(quote).join(' ');
}
