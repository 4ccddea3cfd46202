// The tag objects the HTTP client records each request's metrics under, made once and
// frozen: the metrics registry keys a frozen tag object once by identity, so a request
// costs three lookups instead of three sorts and joins of its tags. Cached only for a flow's
// tags that are frozen (or absent): a mutable object could change between requests.
import type { Tags } from '../metrics/types.ts';

export interface SampleTags {
  /** http.req_duration: method and status, with the flow's tags. */
  duration: Tags;
  /** http.codes: the status as `code`, with the flow's tags. */
  code: Tags;
  /** http.req_failed: the flow's tags alone. */
  failed: Tags;
}

const NONE: Tags = Object.freeze({});
const untagged = new Map<string, SampleTags>();
const byFlowTags = new WeakMap<Tags, Map<string, SampleTags>>();
// method x status pairs are few; a flow inventing methods or statuses must not grow it without end
const MAX_PAIRS = 1000;

function make(method: string, status: string, tags: Tags | undefined): SampleTags {
  const freeze = tags === undefined || Object.isFrozen(tags);
  const duration = { method, status, ...tags };
  const code = { code: status, ...tags };
  if (!freeze) return { duration, code, failed: tags ?? NONE };
  return { duration: Object.freeze(duration), code: Object.freeze(code), failed: tags ?? NONE };
}

export function sampleTags(method: string, status: number, tags: Tags | undefined): SampleTags {
  if (tags !== undefined && !Object.isFrozen(tags)) return make(method, String(status), tags);
  let cache = tags === undefined ? untagged : byFlowTags.get(tags);
  if (cache === undefined) {
    cache = new Map();
    byFlowTags.set(tags as Tags, cache);
  }
  const key = `${method} ${status}`;
  let found = cache.get(key);
  if (found === undefined) {
    found = make(method, String(status), tags);
    if (cache.size >= MAX_PAIRS) cache.clear();
    cache.set(key, found);
  }
  return found;
}
