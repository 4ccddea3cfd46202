// What each toxic type accepts, for validation before a run (Toxiproxy itself ignores
// unknown attributes silently, which hides typos; mailstorm rejects them).
import type { ToxicType } from './types.ts';

export interface AttributeRule {
  /** attribute names, required first */
  required: readonly string[];
  optional: readonly string[];
  /** smallest allowed value per attribute (default 0) */
  min?: Readonly<Record<string, number>>;
}

export const TOXIC_ATTRIBUTES: Readonly<Record<ToxicType, AttributeRule>> = {
  latency: { required: ['latency'], optional: ['jitter'] },
  // rate 0 means "no cap" to Toxiproxy: a fault that does nothing is a mistake here.
  bandwidth: { required: ['rate'], optional: [], min: { rate: 1 } },
  slow_close: { required: ['delay'], optional: [] },
  timeout: { required: ['timeout'], optional: [] },
  reset_peer: { required: ['timeout'], optional: [] },
  slicer: { required: ['average_size'], optional: ['size_variation', 'delay'], min: { average_size: 1 } },
  limit_data: { required: ['bytes'], optional: [] },
};

export const TOXIC_TYPES = Object.keys(TOXIC_ATTRIBUTES) as ToxicType[];
