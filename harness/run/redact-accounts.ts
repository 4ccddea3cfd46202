// --redact: account names (e-mail addresses, and any user name the run was told of) are
// replaced wherever the run writes them down by a stable hash, user-<8 hex>@<domain>, so
// a handed-over report still tells one account from another without naming it. It is
// applied where secret parameters are redacted: to what the reporters receive (result.json,
// reports, junit, checkpoints, events), to warnings, to the reproduce command inside the
// result, and to the stack's log files.
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Reporter } from '../reporter.ts';
import type { RunResult } from '../result-schema.ts';

// A domain ends in a label of letters, so an image digest (name@sha256:...) or a package
// version (name@1.2.3) is not taken for an address.
const ADDRESS = /[A-Za-z0-9._%+'-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}(?![\w-])/g;
const HASHED = /^user-[0-9a-f]{8}$/;

const hex = (text: string) => createHash('sha256').update(text.toLowerCase()).digest('hex').slice(0, 8);

/** The stand-in for one account name: the same name always gives the same stand-in. */
export function hashAccount(name: string): string {
  const at = name.lastIndexOf('@');
  if (at < 0) return HASHED.test(name) ? name : `user-${hex(name)}`;
  const local = name.slice(0, at);
  return HASHED.test(local) ? name : `user-${hex(name)}@${name.slice(at + 1)}`;
}

export type Redact = (text: string) => string;

/** Replaces every e-mail address in a text, and the given bare user names as whole words. */
export function accountRedactor(userNames: readonly string[] = []): Redact {
  const escaped = userNames.filter((n) => n.length >= 3 && !n.includes('@')).map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const names = escaped.length ? new RegExp(`(?<![\\w.@-])(?:${escaped.join('|')})(?![\\w@-])`, 'g') : undefined;
  return (text) => {
    const out = text.replace(ADDRESS, (a) => hashAccount(a));
    return names ? out.replace(names, (n) => hashAccount(n)) : out;
  };
}

/** A copy of a JSON-shaped value with every string redacted (keys too: a tag may be an address). */
export function redactValue<T>(value: T, redact: Redact): T {
  return JSON.parse(redact(JSON.stringify(value))) as T;
}

/** A reporter that hands every other reporter redacted results and events. */
export function redactingReporter(inner: Reporter, redact: Redact): Reporter {
  return {
    onBegin: (meta) => inner.onBegin(meta),
    onSample: (sample) => inner.onSample?.(sample),
    onEvent: (event) => inner.onEvent?.(redactValue(event, redact)),
    onCheckpoint: (result: RunResult, outDir: string) => inner.onCheckpoint?.(redactValue(result, redact), outDir),
    onEnd: (result: RunResult, outDir: string) => inner.onEnd(redactValue(result, redact), outDir),
  };
}

/** Rewrites every file under `dir` (the stack's logs) with account names redacted; a missing dir is fine. */
export async function redactFiles(dir: string, redact: Redact): Promise<number> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch {
    return 0;
  }
  let count = 0;
  for (const entry of entries.filter((e) => e.isFile())) {
    const file = path.join(entry.parentPath, entry.name);
    const text = await readFile(file, 'utf8');
    const redacted = redact(text);
    if (redacted !== text) {
      await writeFile(file, redacted);
      count++;
    }
  }
  return count;
}
