// Counting a remote platform's deliveries by reading the recipients' mailboxes over IMAP (the
// population file's accounts): before the load each mailbox's folders are noted; after it,
// every mailbox still waited for is read each `interval` until the ledger has nothing
// outstanding or the timeout passed. Each message found is an arrival for that mailbox at its
// INTERNALDATE, so the ledger judges delivered once / lost / duplicated / late as for any stack.
// A mailbox that cannot be read (failed login) is named and its mail counted as unverified.
// Logins go as the run's own do: the endpoint's TLS and the remote's auth (passwords or tokens).
import type { Clock } from '../../engine/clock.ts';
import type { Ledger } from '../../engine/ledger/types.ts';
import type { EventLog } from '../../engine/events.ts';
import type { Endpoints } from '../../engine/endpoints.ts';
import type { MetricsSink } from '../../engine/metrics/types.ts';
import { createImapConnector } from '../../engine/clients/imap-client.ts';
import { errorMessage } from '../../engine/errors.ts';
import type { DeliveryCollector } from '../types.ts';
import type { ImapReconcileSettings } from './config.ts';
import type { ClientAuth } from '../../engine/clients/auth/types.ts';
import { MailboxReader } from './mailbox-reader.ts';

export interface ImapReconcileOptions {
  accounts: readonly { address: string; password: string }[];
  /** the remote's endpoints, imap pinned to the address the allow-list passed */
  endpoints: Endpoints;
  ledger: Ledger;
  /** the run's wall clock (the ledger's time) */
  clock: Clock;
  events: EventLog;
  settings: ImapReconcileSettings;
  /** How the accounts log in (a forced mechanism, OAuth2 tokens): the stack's, as for the scenario's clients. */
  auth?: ClientAuth;
}

// The reconcile's own logins are not the scenario's: they stay out of imap.login_* gates.
const unrecorded: MetricsSink = { declare() {}, count() {}, rate() {}, gauge() {}, trend() {} };

const NOT_AN_ACCOUNT = 'not an account in the population file, so its mailbox cannot be read';

/** Runs `work` over `items`, `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) await work(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Why a login or read failed, without anything the server echoed back of the credentials. */
function failureReason(error: unknown): string {
  const e = error as { authenticationFailed?: boolean; serverResponseCode?: string; code?: string };
  if (e.authenticationFailed) return `login failed${e.serverResponseCode ? ` (${e.serverResponseCode})` : ''}`;
  return errorMessage(error);
}

export class ImapReconcile implements DeliveryCollector {
  readonly timeoutMs: number | undefined;
  readonly #o: ImapReconcileOptions;
  readonly #readers = new Map<string, MailboxReader>();
  /** mailbox -> why it could not be read on its latest attempt */
  readonly #failing = new Map<string, string>();
  /** mailboxes read at least once after the load */
  readonly #read = new Set<string>();

  constructor(options: ImapReconcileOptions) {
    this.#o = options;
    this.timeoutMs = options.settings.timeoutMs;
    const connector = createImapConnector({ endpoints: options.endpoints, metrics: unrecorded, clock: options.clock, ...(options.auth && { auth: options.auth }) });
    for (const a of options.accounts) {
      this.#readers.set(a.address.toLowerCase(), new MailboxReader(a.address.toLowerCase(), a.password, connector, options.settings.folders));
    }
  }

  /** Mailboxes that could not be read, with why. */
  get unreadable(): ReadonlyMap<string, string> {
    return this.#failing;
  }

  /** Before the load: notes every mailbox's folders; one whose login fails is named and left out. */
  async baseline(): Promise<void> {
    await eachLimited([...this.#readers.values()], this.#o.settings.concurrency, async (reader) => {
      try {
        await reader.baseline();
      } catch (error) {
        this.#failing.set(reader.address, failureReason(error));
      }
    });
    for (const [address, why] of this.#failing) {
      this.#readers.delete(address);
      this.#o.ledger.unverified(address, why);
      this.#o.events.record('reconcile_mailbox_unreadable', { mailbox: address, reason: why });
    }
  }

  async collect(options: { drainMs: number; signal: AbortSignal }): Promise<{ drained: boolean; waitedMs: number }> {
    const { clock, ledger, settings } = this.#o;
    const start = clock.now();
    const timeoutMs = settings.timeoutMs ?? options.drainMs;
    // Bounded by count as well as by time, in case the clock does not move.
    const maxPolls = Math.ceil(timeoutMs / settings.intervalMs) + 1;
    for (let i = 0; i < maxPolls && !options.signal.aborted; i++) {
      const waited = this.#waitedFor();
      if (waited.length === 0) break;
      await this.#readAll(waited);
      if (this.#waitedFor().length === 0 || clock.now() - start >= timeoutMs) break;
      try {
        await clock.sleep(settings.intervalMs, options.signal);
      } catch {
        break;
      }
    }
    // One more look at every mailbox read, so a duplicate that came after its first copy is seen.
    if (!options.signal.aborted) await this.#readAll([...this.#read].map((a) => this.#readers.get(a)!));
    for (const [address, why] of this.#failing) ledger.unverified(address, why);
    if (settings.delete && !options.signal.aborted) await this.#deleteFound();
    const drained = this.#waitedFor().length === 0;
    this.#o.events.record('reconcile', { way: 'imap', mailboxesRead: this.#read.size, unreadable: this.#failing.size, outstanding: ledger.outstanding() });
    return { drained, waitedMs: clock.now() - start };
  }

  /** Readers of mailboxes with deliveries outstanding; recipients with no account are unverified. */
  #waitedFor(): MailboxReader[] {
    const out: MailboxReader[] = [];
    for (const recipient of this.#o.ledger.outstandingByRecipient().keys()) {
      const reader = this.#readers.get(recipient);
      if (reader) out.push(reader);
      else if (!this.#failing.has(recipient)) {
        this.#failing.set(recipient, NOT_AN_ACCOUNT);
        this.#o.ledger.unverified(recipient, NOT_AN_ACCOUNT);
      }
    }
    return out;
  }

  async #readAll(readers: readonly MailboxReader[]): Promise<void> {
    await eachLimited(readers, this.#o.settings.concurrency, async (reader) => {
      try {
        const found = await reader.read();
        this.#read.add(reader.address);
        this.#failing.delete(reader.address);
        for (const m of found) {
          this.#o.ledger.arrived({ id: m.id, recipient: reader.address, at: m.at, store: 'imap', ...(m.messageId !== undefined && { messageId: m.messageId }) });
        }
      } catch (error) {
        this.#failing.set(reader.address, failureReason(error));
      }
    });
  }

  async #deleteFound(): Promise<void> {
    let removed = 0;
    let flaggedOnly = false;
    await eachLimited([...this.#read].map((a) => this.#readers.get(a)!), this.#o.settings.concurrency, async (reader) => {
      try {
        const r = await reader.delete();
        removed += r.removed;
        flaggedOnly ||= r.flaggedOnly;
      } catch (error) {
        this.#o.events.record('reconcile_delete_failed', { mailbox: reader.address, reason: failureReason(error) });
      }
    });
    this.#o.events.record('reconcile_deleted', flaggedOnly ? { messages: removed, note: 'the server has no UIDPLUS: messages flagged \\Deleted, not expunged' } : { messages: removed });
  }
}
