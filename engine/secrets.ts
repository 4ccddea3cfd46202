// What a secret (a scenario's secret parameter, a password, an OAuth2 token) is replaced with
// wherever a run writes something down, and the scrub that applies it to free text such as an
// error message that might quote one.

/** What a secret's value is replaced with wherever the run writes it down. */
export const REDACTED = '[redacted]';

/** `text` with every occurrence of each non-empty secret replaced by REDACTED. */
export function scrub(text: string, secrets: Iterable<string | undefined>): string {
  let out = text;
  for (const secret of secrets) if (secret) out = out.split(secret).join(REDACTED);
  return out;
}
