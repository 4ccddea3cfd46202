// Live mail during the migration: users keep receiving mail whether their mailbox has moved
// or not. At the end each message must be in the store the user now lives on, exactly once.
import type { ImapConnector } from '../../engine/clients/types.ts';
import { errorMessage } from '../../engine/errors.ts';

export interface LiveMessage {
  id: string;
  recipient: string;
  /** migrated already when it was sent */
  migratedAtSend: boolean;
}

export interface LiveCheck {
  checked: number;
  found: number;
  /** not in the store the user now reads */
  lost: number;
  /** of the lost ones, found in the other store (delivered to the wrong place) */
  wrongStore: number;
  duplicated: number;
  /** recipients whose store could not be read */
  unreadable: number;
  lostSamples: string[];
}

const LEDGER_ID = /^X-Mailstorm-Id:[ \t]*(\S+)/im;

/** Ledger ids in a user's INBOX of one store, with how often each appears. */
export async function idsInStore(imap: ImapConnector, address: string, password: string, store: string): Promise<Map<string, number>> {
  const client = await imap.connect({ user: address, pass: password }, `imap-${store}`);
  try {
    const box = await client.mailboxOpen('INBOX', { readOnly: true });
    const ids = new Map<string, number>();
    if (box.exists === 0) return ids;
    for (const m of await client.fetchAll('1:*', { uid: true, source: true })) {
      const text = m.source?.subarray(0, Math.min(m.source.length, 8192)).toString('latin1') ?? '';
      const end = text.search(/\r?\n\r?\n/);
      const id = LEDGER_ID.exec(end < 0 ? text : text.slice(0, end))?.[1];
      if (id) ids.set(id, (ids.get(id) ?? 0) + 1);
    }
    return ids;
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/** Looks for every accepted live message in its recipient's final store (and, if missing, in the other). */
export async function checkLiveMail(
  sent: readonly LiveMessage[],
  imap: ImapConnector,
  passwordOf: (address: string) => string,
  storeOf: (address: string) => string,
): Promise<LiveCheck> {
  const byRecipient = new Map<string, LiveMessage[]>();
  for (const m of sent) byRecipient.set(m.recipient, [...(byRecipient.get(m.recipient) ?? []), m]);
  const check: LiveCheck = { checked: sent.length, found: 0, lost: 0, wrongStore: 0, duplicated: 0, unreadable: 0, lostSamples: [] };
  const recipients = [...byRecipient.entries()];
  // A few IMAP sessions at a time: enough to be quick, few enough not to swamp the stack.
  const worker = async () => {
    for (let next = recipients.shift(); next; next = recipients.shift()) await checkRecipient(next[0], next[1]);
  };
  const checkRecipient = async (recipient: string, messages: LiveMessage[]) => {
    const store = storeOf(recipient);
    let ids: Map<string, number>;
    try {
      ids = await idsInStore(imap, recipient, passwordOf(recipient), store);
    } catch (error) {
      check.unreadable++;
      check.lost += messages.length;
      if (check.lostSamples.length < 10) check.lostSamples.push(`${recipient}: ${store} unreadable (${errorMessage(error)})`);
      return;
    }
    const missing = messages.filter((m) => !ids.has(m.id));
    for (const m of messages) {
      const n = ids.get(m.id) ?? 0;
      if (n > 0) check.found++;
      if (n > 1) check.duplicated++;
    }
    if (missing.length === 0) return;
    check.lost += missing.length;
    const other = store === 'target' ? 'source' : 'target';
    const elsewhere = await idsInStore(imap, recipient, passwordOf(recipient), other).catch(() => new Map<string, number>());
    for (const m of missing) {
      if (elsewhere.has(m.id)) check.wrongStore++;
      if (check.lostSamples.length < 10) check.lostSamples.push(`${m.id} -> ${recipient} (not in ${store}${elsewhere.has(m.id) ? `, found in ${other}` : ''})`);
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
  return check;
}
