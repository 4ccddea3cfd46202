// One test mailbox on a remote platform, read to count deliveries. At the run's start the
// UIDNEXT of each folder is noted, so only mail that arrived during the run is looked at (an
// earlier run's test mail left in the mailbox is not this run's). Each read SEARCHes the newer
// UIDs for the ledger header and fetches, for messages not seen before, only that header and
// the INTERNALDATE. Folders are opened read-only; nothing is changed unless delete() is called.
import type { ImapFlow } from 'imapflow';
import type { ImapConnector } from '../../engine/clients/types.ts';
import { LEDGER_HEADER } from '../../engine/ledger/types.ts';
import { parseHeaders } from '../../fakes/smtp/message-headers.ts';

export interface FoundMessage {
  /** the ledger id from the X-Mailstorm-Id header ('' when the header is empty) */
  id: string;
  /** INTERNALDATE, ms since the epoch: when the platform stored it */
  at: number;
  messageId?: string;
}

interface FolderState {
  uidValidity: bigint;
  /** the first UID that arrived during the run */
  firstUid: number;
  seen: Set<number>;
}

export class MailboxReader {
  readonly #folders = new Map<string, FolderState>();

  constructor(
    readonly address: string,
    private readonly password: string,
    private readonly connector: ImapConnector,
    private readonly folderNames: readonly string[],
  ) {}

  /** Notes where each folder stands before the load. Throws when the login or a folder fails. */
  async baseline(): Promise<void> {
    await this.#session(async (client) => {
      for (const folder of this.folderNames) {
        const status = await client.status(folder, { uidNext: true, uidValidity: true });
        if (!status) throw new Error(`${folder}: the server answered no STATUS (does the folder exist?)`);
        this.#folders.set(folder, { uidValidity: BigInt(status.uidValidity ?? 0), firstUid: status.uidNext ?? 1, seen: new Set() });
      }
    });
  }

  /** Test messages that arrived since the baseline and were not returned by an earlier read. */
  async read(): Promise<FoundMessage[]> {
    const found: FoundMessage[] = [];
    await this.#session(async (client) => {
      for (const [folder, state] of this.#folders) {
        const box = await client.mailboxOpen(folder, { readOnly: true });
        if (BigInt(box.uidValidity) !== state.uidValidity) {
          throw new Error(`${folder}: UIDVALIDITY changed during the run, so which messages are new cannot be told`);
        }
        const uids = await client.search({ uid: `${state.firstUid}:*`, header: { [LEDGER_HEADER]: '' } }, { uid: true });
        // "n:*" also matches the highest UID when it is below n, hence the filter
        const fresh = (uids || []).filter((uid) => uid >= state.firstUid && !state.seen.has(uid));
        if (fresh.length === 0) continue;
        for await (const m of client.fetch(fresh.join(','), { uid: true, internalDate: true, headers: [LEDGER_HEADER, 'Message-ID'] }, { uid: true })) {
          state.seen.add(m.uid);
          const headers = parseHeaders(m.headers?.toString('latin1') ?? '');
          const at = m.internalDate instanceof Date ? m.internalDate.getTime() : Date.parse(String(m.internalDate));
          const messageId = headers.get('message-id');
          found.push({ id: headers.get(LEDGER_HEADER.toLowerCase()) ?? '', at, ...(messageId !== undefined && { messageId }) });
        }
      }
    });
    return found;
  }

  /**
   * Removes the test messages found. With UIDPLUS only those UIDs are expunged; without it they
   * are only flagged \Deleted, since a plain EXPUNGE would also remove the user's own deleted mail.
   */
  async delete(): Promise<{ removed: number; flaggedOnly: boolean }> {
    let removed = 0;
    let flaggedOnly = false;
    await this.#session(async (client) => {
      for (const [folder, state] of this.#folders) {
        if (state.seen.size === 0) continue;
        await client.mailboxOpen(folder);
        const set = [...state.seen].join(',');
        if (client.capabilities.has('UIDPLUS')) await client.messageDelete(set, { uid: true });
        else {
          await client.messageFlagsAdd(set, ['\\Deleted'], { uid: true });
          flaggedOnly = true;
        }
        removed += state.seen.size;
      }
    });
    return { removed, flaggedOnly };
  }

  async #session(work: (client: ImapFlow) => Promise<void>): Promise<void> {
    const client = await this.connector.connect({ user: this.address, pass: this.password });
    try {
      await work(client);
      await client.logout();
    } finally {
      client.close();
    }
  }
}
