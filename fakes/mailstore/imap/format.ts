// Small encoders for IMAP responses: quoted strings, flag lists, INTERNALDATE.

/** A quoted string when safe, else a literal. */
export function imapString(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value) && value.length < 1024) return `"${value.replace(/(["\\])/g, '\\$1')}"`;
  return `{${Buffer.byteLength(value)}}\r\n${value}`;
}

export const flagList = (flags: Iterable<string>): string => `(${[...flags].join(' ')})`;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 3501 date-time, in UTC: "17-Jul-1996 02:44:25 +0000". */
export function internalDate(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `"${pad(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000"`;
}

/** Parses an RFC 3501 date-time (APPEND) or date (SEARCH SINCE); undefined when malformed. */
export function parseImapDate(text: string): number | undefined {
  const m = /^\s?(\d{1,2})-([A-Za-z]{3})-(\d{4})(?: (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2}))?$/.exec(text);
  if (!m) return undefined;
  const month = MONTHS.findIndex((name) => name.toLowerCase() === m[2]?.toLowerCase());
  if (month < 0) return undefined;
  const utc = Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
  const offset = m[7] ? (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9])) * 60_000 : 0;
  return utc - offset;
}

export const SYSTEM_FLAGS = ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'];

/** A system flag in its canonical case, or a keyword as given; undefined for \Recent or an unknown \flag. */
export function normaliseFlag(flag: string): string | undefined {
  if (!flag.startsWith('\\')) return /^[^\s(){%*"\\\]]+$/.test(flag) ? flag : undefined;
  return SYSTEM_FLAGS.find((f) => f.toLowerCase() === flag.toLowerCase());
}
