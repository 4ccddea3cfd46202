// Go's encoding/json matches object keys to struct fields case-insensitively (Toxiproxy's own
// tests post {"Name": ..., "Listen": ...}); this gives request bodies the same tolerance.

/** Copies `body`, renaming keys that match one of `fields` case-insensitively; an exact match wins. */
export function foldFields(body: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    const canonical = fields.find((f) => f.toLowerCase() === key.toLowerCase()) ?? key;
    if (canonical === key || !(canonical in body)) out[canonical] = value;
  }
  return out;
}
