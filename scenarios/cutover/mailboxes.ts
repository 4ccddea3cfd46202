// Reads users' INBOXes over IMAP: before the switch (what state must survive the round trip)
// and after the rollback (is every accepted message there exactly once, is the old state intact).
import type { ImapConnector } from '../../engine/clients/types.ts';


const LEDGER_ID = /^X-Mailstorm-Id:[ \t]*(\S+)/im;

export interface MailboxView {
  uidValidity: string;
  /** messages without a ledger id (the mailbox's state before the window): uid -> sorted flags */
  state: Map<number, string>;
  /** ledger id -> copies and the newest INTERNALDATE (ms) */
  ids: Map<string, { copies: number; at: number }>;
}

export interface FullMessage {
  id: string;
  source: Buffer;
  flags: string[];
  internalDate: Date;
}

export function ledgerIdOf(source: Buffer | undefined): string | undefined {
  const text = source?.subarray(0, Math.min(source.length, 8192)).toString('latin1') ?? '';
  const end = text.search(/\r?\n\r?\n/);
  return LEDGER_ID.exec(end < 0 ? text : text.slice(0, end))?.[1];
}

/** Logs in and reads INBOX; with `keep`, also returns the full messages whose ledger id it accepts. */
export async function readMailbox(
  imap: ImapConnector, auth: { user: string; pass: string }, endpoint: string, keep?: (id: string) => boolean,
): Promise<{ view: MailboxView; kept: FullMessage[] }> {
  const client = await imap.connect(auth, endpoint);
  try {
    const box = await client.mailboxOpen('INBOX', { readOnly: true });
    const view: MailboxView = { uidValidity: String(box.uidValidity), state: new Map(), ids: new Map() };
    const kept: FullMessage[] = [];
    if (box.exists === 0) return { view, kept };
    for (const m of await client.fetchAll('1:*', { uid: true, flags: true, internalDate: true, source: true })) {
      const id = ledgerIdOf(m.source);
      if (!id) {
        view.state.set(m.uid, [...(m.flags ?? [])].sort().join(' '));
        continue;
      }
      const at = m.internalDate ? new Date(m.internalDate).getTime() : 0;
      const seen = view.ids.get(id);
      view.ids.set(id, { copies: (seen?.copies ?? 0) + 1, at: Math.max(at, seen?.at ?? 0) });
      if (keep?.(id) && m.source) kept.push({ id, source: m.source, flags: [...(m.flags ?? [])], internalDate: new Date(at) });
    }
    return { view, kept };
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/** What changed in the pre-window state: messages gone, flags changed, or a new UIDVALIDITY. */
export function stateDrift(before: MailboxView, after: MailboxView): string | undefined {
  if (before.uidValidity !== after.uidValidity) return `UIDVALIDITY ${before.uidValidity} -> ${after.uidValidity}`;
  for (const [uid, flags] of before.state) {
    const now = after.state.get(uid);
    if (now === undefined) return `message uid ${uid} is gone`;
    if (now !== flags) return `flags of uid ${uid}: "${flags}" -> "${now}"`;
  }
  return undefined;
}

/** Runs `work` over `items` with a few sessions at a time, so the stores are not swamped. */
export async function eachLimited<T>(items: readonly T[], sessions: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const worker = async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) await work(next);
  };
  await Promise.all(Array.from({ length: Math.max(1, sessions) }, worker));
}

