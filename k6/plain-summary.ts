// Reads the summary files `mailstorm import k6` is given and tells their shape apart: a
// mailstorm runner summary (written by an exported script's handleSummary), k6's own
// summary data as JSON (`{metrics: {name: {type, contains, values, thresholds: {expr: {ok}}}}}`),
// or the legacy `k6 run --summary-export` file (`{metrics: {name: {avg, min, ..., thresholds:
// {expr: failed}}}}`: no type, a rate's `value` for its rate, true for a FAILED threshold).
// A plain summary is normalised to one shape; anything else is bad input naming the file.
import { InputError } from '../engine/errors.ts';
import type { MetricKind } from '../engine/metrics/types.ts';

export interface PlainMetric {
  type: MetricKind;
  values: Record<string, number>;
  /** expression -> passed, as k6 judged it on this summary alone */
  thresholds: Record<string, boolean>;
}

export interface PlainSummary {
  file: string;
  shape: 'k6 summary data' | 'k6 --summary-export';
  /** metric key as k6 writes it, tag filter included: "http_req_duration{expected_response:true}" */
  metrics: Record<string, PlainMetric>;
  /** k6's state.testRunDurationMs, when the file has it (newer --summary-export files do not) */
  durationMs?: number;
}

export type SummaryFile = { kind: 'mailstorm'; json: unknown } | { kind: 'plain'; summary: PlainSummary };

const KINDS = new Set(['counter', 'rate', 'gauge', 'trend']);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const NEITHER = 'neither a mailstorm runner summary (the mailstorm-summary.json an exported script writes) nor a plain k6 summary (`k6 run --summary-export`, or handleSummary\'s data as JSON)';

function numbers(values: Record<string, unknown>, where: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(values)) {
    if (k === 'thresholds') continue;
    if (v === null) continue; // k6 writes null for a stat it could not compute
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError(`${where}.${k}: expected a number, got ${JSON.stringify(v)}`);
    out[k] = v;
  }
  return out;
}

/** The legacy file names no type: told from the stats k6 writes for each kind. */
function legacyKind(values: Record<string, number>, where: string): MetricKind {
  const keys = Object.keys(values);
  if ('passes' in values || 'fails' in values) return 'rate';
  if (keys.some((k) => k === 'avg' || k === 'med' || k.startsWith('p('))) return 'trend';
  if ('count' in values) return 'counter';
  if ('value' in values) return 'gauge';
  throw new InputError(`${where}: cannot tell the metric's kind from its stats (${keys.join(', ') || 'none'})`);
}

function plainMetric(name: string, raw: unknown, file: string): { metric: PlainMetric; legacy: boolean } {
  const where = `${file}: metrics.${name}`;
  if (!isObject(raw)) throw new InputError(`${where}: expected an object, got ${JSON.stringify(raw)}`);
  if ('type' in raw || 'values' in raw) {
    if (typeof raw['type'] !== 'string' || !KINDS.has(raw['type'])) throw new InputError(`${where}.type: expected counter, rate, gauge or trend, got ${JSON.stringify(raw['type'])}`);
    if (!isObject(raw['values'])) throw new InputError(`${where}.values: expected an object of stats`);
    const thresholds: Record<string, boolean> = {};
    const th = raw['thresholds'] ?? {};
    if (!isObject(th)) throw new InputError(`${where}.thresholds: expected an object`);
    for (const [expr, r] of Object.entries(th)) {
      if (!isObject(r) || typeof r['ok'] !== 'boolean') throw new InputError(`${where}.thresholds["${expr}"]: expected {ok: true|false}`);
      thresholds[expr] = r['ok'];
    }
    return { metric: { type: raw['type'] as MetricKind, values: numbers(raw['values'], `${where}.values`), thresholds }, legacy: false };
  }
  const values = numbers(raw, where);
  const type = legacyKind(values, where);
  // the legacy file calls a rate's rate `value`
  if (type === 'rate' && 'value' in values && !('rate' in values)) {
    values['rate'] = values['value']!;
    delete values['value'];
  }
  const thresholds: Record<string, boolean> = {};
  const th = raw['thresholds'] ?? {};
  if (!isObject(th)) throw new InputError(`${where}.thresholds: expected an object`);
  for (const [expr, failed] of Object.entries(th)) {
    if (typeof failed !== 'boolean') throw new InputError(`${where}.thresholds["${expr}"]: expected true (failed) or false (passed)`);
    thresholds[expr] = !failed; // the legacy file writes true for a threshold that FAILED
  }
  return { metric: { type, values, thresholds }, legacy: true };
}

/** Reads one file given to `import k6`; throws InputError naming the file when it is neither shape. */
export function readSummaryFile(text: string, file: string): SummaryFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${file}: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isObject(json)) throw new InputError(`${file}: ${NEITHER}: the file holds ${Array.isArray(json) ? 'a list' : JSON.stringify(json)}`);
  if ('mailstorm' in json) return { kind: 'mailstorm', json };
  if (!isObject(json['metrics'])) throw new InputError(`${file}: ${NEITHER}: it has no "mailstorm" block and no "metrics" object (top-level keys: ${Object.keys(json).join(', ') || 'none'})`);
  const metrics: Record<string, PlainMetric> = {};
  let legacy = 0;
  for (const [name, raw] of Object.entries(json['metrics'])) {
    const m = plainMetric(name, raw, file);
    metrics[name] = m.metric;
    if (m.legacy) legacy++;
  }
  if (Object.keys(metrics).length === 0) throw new InputError(`${file}: a k6 summary with no metrics: nothing to judge`);
  if (legacy > 0 && legacy < Object.keys(metrics).length) throw new InputError(`${file}: mixes metrics with and without "type"/"values": neither k6's summary data nor a --summary-export file`);
  const state = json['state'];
  const duration = isObject(state) ? state['testRunDurationMs'] : undefined;
  const summary: PlainSummary = { file, shape: legacy > 0 ? 'k6 --summary-export' : 'k6 summary data', metrics };
  if (typeof duration === 'number' && Number.isFinite(duration)) summary.durationMs = duration;
  return { kind: 'plain', summary };
}
