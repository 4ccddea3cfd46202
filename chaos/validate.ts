// Checks a timeline before anything starts and compiles it into time-ordered actions.
// Every problem is an InputError naming the step index, the field and what is allowed.
import { InputError } from '../engine/errors.ts';
import { parseDuration } from '../engine/duration.ts';
import type { FaultStep, Timeline, ToxicSpec } from './types.ts';
import { MAX_TIMER_MS, TOXIC_ATTRIBUTES, TOXIC_TYPES } from './toxic-attributes.ts';
import type { ChaosAction, ToxicBody } from './actions.ts';

/** Most updates one ramp may schedule (over / every), so a typo cannot flood the API. */
export const MAX_RAMP_STEPS = 10_000;

const STEP_FIELDS: Record<FaultStep['kind'], { required: string[]; optional: string[] }> = {
  add: { required: ['kind', 'at', 'toxic'], optional: ['for'] },
  update: { required: ['kind', 'at', 'proxy', 'toxic'], optional: ['attributes', 'toxicity'] },
  remove: { required: ['kind', 'at', 'proxy', 'toxic'], optional: [] },
  ramp: { required: ['kind', 'proxy', 'type', 'from', 'to', 'over', 'every'], optional: ['start', 'name', 'stream', 'toxicity', 'jitter'] },
  down: { required: ['kind', 'at', 'proxy'], optional: [] },
  heal: { required: ['kind', 'at', 'proxy'], optional: [] },
};
const TOXIC_FIELDS = { required: ['type', 'proxy', 'attributes'], optional: ['name', 'stream', 'toxicity'] };

/** Throws InputError on the first problem; returns the actions sorted by time (stable). */
export function validateTimeline(timeline: Timeline, proxyNames?: readonly string[]): ChaosAction[] {
  if (!Array.isArray(timeline)) throw new InputError('chaos timeline: expected an array of steps');
  const actions: ChaosAction[] = [];
  const added = new Map<string, ToxicBody>();
  timeline.forEach((raw: unknown, index) => {
    const where = `chaos timeline[${index}]`;
    const step = record(raw, where);
    const kind = step.kind;
    if (typeof kind !== 'string' || !(kind in STEP_FIELDS)) {
      throw new InputError(`${where}.kind: ${JSON.stringify(kind)} is not a step kind (allowed: ${Object.keys(STEP_FIELDS).join(', ')})`);
    }
    fields(step, STEP_FIELDS[kind as FaultStep['kind']], where);
    const proxy = (value: unknown, field: string) => proxyName(value, `${where}.${field}`, proxyNames);
    const time = (field: string) => parseDuration(step[field] as string | number, `${where}.${field}`);
    const base = { step: index };
    switch (kind as FaultStep['kind']) {
      case 'add': {
        const toxic = toxicBody(step.toxic, `${where}.toxic`, proxyNames);
        const atMs = time('at');
        remember(added, toxic, `${where}.toxic.name`);
        actions.push({ ...base, atMs, op: 'add', proxy: toxic.proxy, toxic });
        if (step.for !== undefined) actions.push({ ...base, atMs: atMs + time('for'), op: 'remove', proxy: toxic.proxy, toxicName: toxic.name });
        break;
      }
      case 'update':
      case 'remove': {
        const target = proxy(step.proxy, 'proxy');
        const name = step.toxic;
        const known = typeof name === 'string' ? added.get(`${target}/${name}`) : undefined;
        if (!known) {
          throw new InputError(`${where}.toxic: ${JSON.stringify(name)} is not a toxic an earlier step adds on proxy "${target}" (only toxics this timeline adds can be changed)`);
        }
        if (kind === 'remove') {
          actions.push({ ...base, atMs: time('at'), op: 'remove', proxy: target, toxicName: known.name });
          break;
        }
        const attributes = step.attributes === undefined ? undefined : attributesOf(known.type as ToxicSpec["type"], step.attributes, `${where}.attributes`, true);
        const toxicity = step.toxicity === undefined ? undefined : toxicityOf(step.toxicity, `${where}.toxicity`);
        actions.push({ ...base, atMs: time('at'), op: 'update', proxy: target, toxicName: known.name, ...(attributes ? { attributes } : {}), ...(toxicity !== undefined ? { toxicity } : {}) });
        break;
      }
      case 'ramp':
        actions.push(...rampActions(step, where, index, proxy(step.proxy, 'proxy'), added));
        break;
      case 'down':
      case 'heal':
        actions.push({ ...base, atMs: time('at'), op: kind === 'down' ? 'disable' : 'enable', proxy: proxy(step.proxy, 'proxy') });
        break;
    }
  });
  return actions.map((a, i) => ({ a, i })).sort((x, y) => x.a.atMs - y.a.atMs || x.i - y.i).map((x) => x.a);
}

function rampActions(step: Record<string, unknown>, where: string, index: number, proxy: string, added: Map<string, ToxicBody>): ChaosAction[] {
  const type = step.type;
  if (type !== 'latency' && type !== 'bandwidth') throw new InputError(`${where}.type: ${JSON.stringify(type)} cannot be ramped (allowed: latency, bandwidth)`);
  const attribute = type === 'latency' ? 'latency' : 'rate';
  const min = type === 'bandwidth' ? 1 : 0;
  const from = number(step.from, `${where}.from`, min);
  const to = number(step.to, `${where}.to`, min);
  const over = parseDuration(step.over as string | number, `${where}.over`);
  const every = parseDuration(step.every as string | number, `${where}.every`);
  const start = step.start === undefined ? 0 : parseDuration(step.start as string | number, `${where}.start`);
  if (every <= 0) throw new InputError(`${where}.every: must be greater than 0`);
  if (over / every > MAX_RAMP_STEPS) throw new InputError(`${where}.every: ${over / every} updates over ${over} ms is too many (at most ${MAX_RAMP_STEPS})`);
  if (step.jitter !== undefined && type !== 'latency') throw new InputError(`${where}.jitter: only a latency ramp takes jitter`);
  const stream = streamOf(step.stream, `${where}.stream`);
  const name = step.name === undefined ? `${type}_${stream}` : nameOf(step.name, `${where}.name`);
  if (type === 'latency') {
    belowTimerLimit(Math.round(from), `${where}.from`);
    belowTimerLimit(Math.round(to), `${where}.to`);
  }
  const attributes: Record<string, number> = { [attribute]: Math.round(from) };
  if (step.jitter !== undefined) attributes.jitter = belowTimerLimit(number(step.jitter, `${where}.jitter`, 0), `${where}.jitter`);
  const toxic: ToxicBody = { proxy, name, type, stream, toxicity: step.toxicity === undefined ? 1 : toxicityOf(step.toxicity, `${where}.toxicity`), attributes };
  remember(added, toxic, `${where}.name`);
  const actions: ChaosAction[] = [{ step: index, atMs: start, op: 'add', proxy, toxic }];
  for (let elapsed = every; elapsed < over + every; elapsed += every) {
    const at = Math.min(elapsed, over);
    const value = Math.round(from + (to - from) * (over === 0 ? 1 : at / over));
    actions.push({ step: index, atMs: start + at, op: 'update', proxy, toxicName: name, attributes: { [attribute]: value } });
    if (at === over) break;
  }
  return actions;
}

function toxicBody(raw: unknown, where: string, proxyNames?: readonly string[]): ToxicBody {
  const spec = record(raw, where) as Partial<ToxicSpec> & Record<string, unknown>;
  fields(spec, TOXIC_FIELDS, where);
  if (!TOXIC_TYPES.includes(spec.type as never)) {
    throw new InputError(`${where}.type: ${JSON.stringify(spec.type)} is not a toxic type (allowed: ${TOXIC_TYPES.join(', ')})`);
  }
  const type = spec.type as ToxicSpec['type'];
  const stream = streamOf(spec.stream, `${where}.stream`);
  return {
    proxy: proxyName(spec.proxy, `${where}.proxy`, proxyNames),
    name: spec.name === undefined ? `${type}_${stream}` : nameOf(spec.name, `${where}.name`),
    type,
    stream,
    toxicity: spec.toxicity === undefined ? 1 : toxicityOf(spec.toxicity, `${where}.toxicity`),
    attributes: attributesOf(type, spec.attributes, `${where}.attributes`, false),
  };
}

function attributesOf(type: ToxicSpec['type'], raw: unknown, where: string, partial: boolean): Record<string, number> {
  const rule = TOXIC_ATTRIBUTES[type];
  const given = record(raw, where);
  fields(given, { required: partial ? [] : [...rule.required], optional: partial ? [...rule.required, ...rule.optional] : [...rule.optional] }, where, `${type} attribute`);
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(given)) {
    out[key] = number(value, `${where}.${key}`, rule.min?.[key] ?? 0, true);
    if (rule.ms?.includes(key)) belowTimerLimit(out[key], `${where}.${key}`);
  }
  if (type === 'latency') belowTimerLimit((out.latency ?? 0) + (out.jitter ?? 0), `${where}: latency + jitter`);
  // slicer's delay is in µs; the fault proxy sleeps it off in timers too.
  if (type === 'slicer' && out.delay !== undefined && out.delay / 1000 >= MAX_TIMER_MS) {
    throw new InputError(`${where}.delay: ${out.delay} µs is too long (must be below ${MAX_TIMER_MS * 1000} µs, 2^31 ms, the longest timer Node can run)`);
  }
  if (type === 'slicer' && (out.size_variation ?? 0) > (out.average_size ?? Infinity)) {
    throw new InputError(`${where}.size_variation: must be no larger than average_size`);
  }
  return out;
}

function remember(added: Map<string, ToxicBody>, toxic: ToxicBody, where: string): void {
  const key = `${toxic.proxy}/${toxic.name}`;
  if (added.has(key)) throw new InputError(`${where}: toxic "${toxic.name}" is already added to proxy "${toxic.proxy}" by an earlier step; give it another name`);
  added.set(key, toxic);
}

function record(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError(`${where}: expected an object`);
  return value as Record<string, unknown>;
}

function fields(value: Record<string, unknown>, rule: { required: readonly string[]; optional: readonly string[] }, where: string, what = 'field'): void {
  const allowed = [...rule.required, ...rule.optional];
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw new InputError(`${where}.${key}: unknown ${what} (allowed: ${allowed.join(', ')})`);
  }
  for (const key of rule.required) if (value[key] === undefined) throw new InputError(`${where}.${key}: required`);
}

function number(value: unknown, where: string, min: number, whole = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InputError(`${where}: expected a number, got ${JSON.stringify(value)}`);
  if (value < min) throw new InputError(`${where}: must be at least ${min}, got ${value}`);
  if (whole && !Number.isInteger(value)) throw new InputError(`${where}: must be a whole number, got ${value}`);
  return value;
}

function belowTimerLimit(ms: number, where: string): number {
  if (ms >= MAX_TIMER_MS) throw new InputError(`${where}: ${ms} ms is too long (must be below ${MAX_TIMER_MS} ms, 2^31, the longest timer Node can run)`);
  return ms;
}

function toxicityOf(value: unknown, where: string): number {
  const n = number(value, where, 0);
  if (n > 1) throw new InputError(`${where}: must be between 0 and 1, got ${n}`);
  return n;
}

function streamOf(value: unknown, where: string): 'upstream' | 'downstream' {
  if (value === undefined) return 'downstream';
  if (value !== 'upstream' && value !== 'downstream') throw new InputError(`${where}: ${JSON.stringify(value)} is not a stream (allowed: upstream, downstream)`);
  return value;
}

function nameOf(value: unknown, where: string): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(value)) throw new InputError(`${where}: expected a name of letters, digits, _ . -`);
  return value;
}

function proxyName(value: unknown, where: string, proxyNames?: readonly string[]): string {
  if (typeof value !== 'string' || value === '') throw new InputError(`${where}: expected a proxy name`);
  if (proxyNames && !proxyNames.includes(value)) {
    throw new InputError(`${where}: unknown proxy "${value}" (this stack has: ${proxyNames.join(', ') || 'none'})`);
  }
  return value;
}
