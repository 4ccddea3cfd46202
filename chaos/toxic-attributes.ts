// What each toxic type accepts, for validation before a run (Toxiproxy itself ignores
// unknown attributes silently, which hides typos; mailstorm rejects them).
import type { ToxicType } from './types.ts';

export interface AttributeRule {
  /** attribute names, required first */
  required: readonly string[];
  optional: readonly string[];
  /** smallest allowed value per attribute (default 0) */
  min?: Readonly<Record<string, number>>;
  /** attributes that are timer durations in ms: each must be below MAX_TIMER_MS */
  ms?: readonly string[];
}

/** Node turns a timer of 2^31 ms or more into 1 ms: a huge latency would add none, a huge timeout close at once. */
export const MAX_TIMER_MS = 2 ** 31;

export const TOXIC_ATTRIBUTES: Readonly<Record<ToxicType, AttributeRule>> = {
  latency: { required: ['latency'], optional: ['jitter'], ms: ['latency', 'jitter'] },
  // rate 0 means "no cap" to Toxiproxy: a fault that does nothing is a mistake here.
  bandwidth: { required: ['rate'], optional: [], min: { rate: 1 } },
  slow_close: { required: ['delay'], optional: [], ms: ['delay'] },
  timeout: { required: ['timeout'], optional: [], ms: ['timeout'] },
  reset_peer: { required: ['timeout'], optional: [], ms: ['timeout'] },
  slicer: { required: ['average_size'], optional: ['size_variation', 'delay'], min: { average_size: 1 } },
  limit_data: { required: ['bytes'], optional: [] },
};

export const TOXIC_TYPES = Object.keys(TOXIC_ATTRIBUTES) as ToxicType[];
