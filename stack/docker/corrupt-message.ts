// Damages stored messages inside a mail container, the way a disk or a copy gone wrong
// would: the Maildir file of each message (found by its Message-ID in the user's Maildir)
// is cut to half its length. Dovecot's Maildir file names carry the size (",S=<bytes>"), so
// Dovecot notices on every read and fails the FETCH instead of serving a short message.
import { StackError } from '../../engine/errors.ts';

export interface CorruptTarget {
  /** lower-case user@domain */
  address: string;
  /** The Message-ID header value of the message to damage. */
  messageId: string;
}

/** Where Dovecot keeps a user's Maildir (mail_location in stack/docker/mail/dovecot/dovecot.conf). */
export function maildirOf(address: string): string {
  const [local, domain] = address.toLowerCase().split('@');
  const safe = (part: string | undefined, pattern: RegExp) => part !== undefined && pattern.test(part) && !part.includes('..');
  if (!safe(local, /^[a-z0-9_+-][a-z0-9._+-]*$/) || !safe(domain, /^[a-z0-9][a-z0-9.-]*$/)) {
    throw new StackError(`cannot place the Maildir of "${address}"`);
  }
  return `/var/mail/vhosts/${domain}/${local}/Maildir`;
}

// Arguments come in pairs (Maildir, Message-ID); one line out per damaged file.
const SCRIPT = `
set -eu
while [ "$#" -ge 2 ]; do
  dir="$1"; id="$2"; shift 2
  file=$(grep -rlF -- "Message-ID: $id" "$dir/cur" "$dir/new" 2>/dev/null | head -n 1 || true)
  if [ -z "$file" ]; then echo "mailstorm-corrupt: not found: $id in $dir"; exit 1; fi
  size=$(stat -c %s "$file")
  truncate -s $((size / 2)) "$file"
  echo "mailstorm-corrupt: damaged $file"
done
`;

export async function corruptMessageFiles(exec: (command: string[]) => Promise<string>, targets: readonly CorruptTarget[]): Promise<void> {
  if (targets.length === 0) return;
  const args = targets.flatMap((t) => [maildirOf(t.address), t.messageId]);
  const output = await exec(['sh', '-c', SCRIPT, 'mailstorm-corrupt', ...args]);
  const damaged = output.split('\n').filter((l) => l.startsWith('mailstorm-corrupt: damaged ')).length;
  if (damaged !== targets.length) {
    throw new StackError(`planting corrupt messages: ${damaged} of ${targets.length} damaged (${output.trim().split('\n').slice(-1)[0] ?? 'no output'})`);
  }
}
