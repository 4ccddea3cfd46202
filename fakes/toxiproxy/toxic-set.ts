// The toxics of one proxy, in the order they were added (upstream chain, then downstream),
// with a change signal that live links wait on. Policy only: no sockets here.
import type { Stream, ToxicKind, ToxicState } from './types.ts';
import { foldFields } from './json-fields.ts';
import {
  badRequestBody, invalidStream, invalidToxicType, toxicAlreadyExists, toxicNotFound,
} from './api-error.ts';

/** Node turns a timer of 2^31 ms or more into 1 ms, which would invert the fault. */
export const MAX_TIMER_MS = 2 ** 31;

const STREAMS: readonly Stream[] = ['upstream', 'downstream'];
const TOXIC_FIELDS = ['name', 'type', 'stream', 'toxicity', 'attributes'];

export class ToxicSet {
  readonly #chains: Record<Stream, ToxicState[]> = { upstream: [], downstream: [] };
  readonly #listeners = new Set<() => void>();

  constructor(private readonly kinds: ReadonlyMap<string, ToxicKind>) {}

  kind(type: string): ToxicKind | undefined {
    return this.kinds.get(type);
  }

  list(): ToxicState[] {
    return [...this.#chains.upstream, ...this.#chains.downstream];
  }

  forStream(stream: Stream): readonly ToxicState[] {
    return this.#chains[stream];
  }

  get(name: string): ToxicState | undefined {
    return this.list().find((t) => t.name === name);
  }

  has(toxic: ToxicState): boolean {
    return this.#chains[toxic.stream].includes(toxic);
  }

  /** Calls `listener` at every add, update, removal or reset until the returned function is called. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  add(raw: unknown): ToxicState {
    if (!isObject(raw)) throw badRequestBody('expected a JSON object');
    const body = foldFields(raw, TOXIC_FIELDS);
    // Go clients may send an empty stream for "default".
    const stream = body.stream === undefined || body.stream === '' ? 'downstream' : body.stream;
    if (stream !== 'upstream' && stream !== 'downstream') throw invalidStream();
    const type = typeof body.type === 'string' ? body.type : '';
    const name = typeof body.name === 'string' && body.name !== '' ? body.name : `${type}_${stream}`;
    const kind = this.kinds.get(type);
    if (!kind) throw invalidToxicType();
    if (this.get(name)) throw toxicAlreadyExists();
    const toxicity = parseToxicity(body.toxicity, 1);
    const attributes = parseAttributes(kind, { ...kind.defaults }, body.attributes);
    // Field order as Toxiproxy serialises a toxic.
    const toxic: ToxicState = { attributes, name, type, stream, toxicity };
    this.#chains[stream].push(toxic);
    this.#signal();
    return toxic;
  }

  /** Merges the given attributes and toxicity into the live toxic (type, stream and name stay). */
  update(name: string, raw: unknown): ToxicState {
    const toxic = this.get(name);
    if (!toxic) throw toxicNotFound();
    if (!isObject(raw)) throw badRequestBody('expected a JSON object');
    const body = foldFields(raw, TOXIC_FIELDS);
    const kind = this.kinds.get(toxic.type) as ToxicKind;
    const toxicity = parseToxicity(body.toxicity, toxic.toxicity);
    const attributes = parseAttributes(kind, { ...toxic.attributes }, body.attributes);
    Object.assign(toxic.attributes, attributes);
    toxic.toxicity = toxicity;
    this.#signal();
    return toxic;
  }

  remove(name: string): void {
    const toxic = this.get(name);
    if (!toxic) throw toxicNotFound();
    const chain = this.#chains[toxic.stream];
    chain.splice(chain.indexOf(toxic), 1);
    this.#signal();
  }

  reset(): void {
    for (const s of STREAMS) this.#chains[s].length = 0;
    this.#signal();
  }

  #signal(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseToxicity(value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw badRequestBody(`toxicity must be a number between 0 and 1, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Known attributes must be non-negative integers (Toxiproxy stores them as int64); unknown ones are ignored, as Go's decoder does. */
function parseAttributes(kind: ToxicKind, base: Record<string, number>, given: unknown): Record<string, number> {
  if (given !== undefined && given !== null) {
    if (!isObject(given)) throw badRequestBody('attributes must be a JSON object');
    const attributes = foldFields(given, Object.keys(kind.defaults));
    for (const key of Object.keys(kind.defaults)) {
      const value = attributes[key];
      if (value === undefined) continue;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
        throw badRequestBody(`attributes.${key} must be a non-negative integer, got ${JSON.stringify(value)}`);
      }
      base[key] = value;
    }
  }
  for (const key of kind.millisecondAttributes ?? []) {
    if ((base[key] ?? 0) >= MAX_TIMER_MS) {
      throw badRequestBody(`attributes.${key} must be below ${MAX_TIMER_MS} ms (2^31, the longest timer Node can run), got ${base[key]}`);
    }
  }
  const problem = kind.validate?.(base);
  if (problem) throw badRequestBody(problem);
  return base;
}
