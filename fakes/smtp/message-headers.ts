// Just enough RFC 5322 header parsing for routing and accounting: finds the header block,
// unfolds it and returns lower-cased names with their first value.

const HEADER_END = Buffer.from('\r\n\r\n');

/** Index just past the blank line ending the header block, or -1 when not (yet) seen. */
export function headerEnd(data: Buffer): number {
  const i = data.indexOf(HEADER_END);
  return i < 0 ? -1 : i + HEADER_END.length;
}

export function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  const lines = block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/);
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return headers;
}

/** The thread a message belongs to: its first References id, else In-Reply-To, else its subject without Re:/Fwd:. */
export function threadKey(headers: Map<string, string>): string {
  const references = headers.get('references')?.match(/<[^>]+>/)?.[0];
  if (references) return references;
  const inReplyTo = headers.get('in-reply-to')?.match(/<[^>]+>/)?.[0];
  if (inReplyTo) return inReplyTo;
  return (headers.get('subject') ?? '').replace(/^((re|fw|fwd|aw)\s*:\s*)+/i, '').trim().toLowerCase();
}

export function isReply(headers: Map<string, string>): boolean {
  return headers.has('in-reply-to') || /^\s*re\s*:/i.test(headers.get('subject') ?? '');
}
