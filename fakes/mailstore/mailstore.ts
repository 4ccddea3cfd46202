// An in-memory mailstore: per user, mailboxes (INBOX, Sent, Drafts, Trash ...) of messages.
// Users appear on first touch; seeded users get a log-normal number of messages of log-normal
// sizes, derived from the seed so the same user always gets the same mailbox.
import type { Clock } from '../../engine/clock.ts';
import type { Random } from '../../engine/random.ts';
import type { Arrival } from '../../engine/ledger/types.ts';
import { InputError } from '../../engine/errors.ts';
import { fnv1a } from '../../directory/names.ts';
import { Mailbox } from './mailbox.ts';
import { headerValue, ledgerIdOf, seededMessage, storedMessage, type StoredMessage } from './message.ts';

export interface SeedSpec {
  /** median number of messages per seeded user */
  median: number;
  sigma: number;
  sizeMedianBytes: number;
  /** size sigma; default 1.0 */
  sizeSigma?: number;
}

export interface MailStoreOptions {
  /** Store name reported with arrivals ("main", "source", "target" ...). */
  name?: string;
  clock: Clock;
  random: Random;
  /** Seed every user's INBOX on first touch. */
  seed?: SeedSpec;
  /** Share of seeded mailboxes holding one message that fails to fetch. */
  corruptShare?: number;
  /** Exactly these users (lower-case addresses) have a corrupt mailbox; overrides corruptShare. */
  corruptUsers?: ReadonlySet<string>;
  /** Upper bound on seeded messages per user (keeps a long log-normal tail bounded). */
  maxSeededMessages?: number;
}

export interface MailArrival extends Arrival {
  messageId?: string;
  mailbox: string;
  via: 'deliver' | 'append';
}

const DEFAULT_MAILBOXES = ['INBOX', 'Sent', 'Drafts', 'Trash'];

export class MailStore {
  readonly name: string;
  readonly #clock: Clock;
  readonly #seedBase: number;
  readonly #users = new Map<string, Map<string, Mailbox>>();
  readonly #listeners = new Set<(arrival: MailArrival) => void>();
  readonly #options: MailStoreOptions;
  readonly #parsed = new WeakMap<Buffer, { id: string | undefined; messageId: string | undefined }>();

  constructor(options: MailStoreOptions) {
    const share = options.corruptShare ?? 0;
    if (!(share >= 0 && share <= 1)) throw new InputError(`mailstores.corruptShare must be between 0 and 1, got ${share}`);
    if (options.seed && !(options.seed.median >= 0 && options.seed.sizeMedianBytes > 0)) {
      throw new InputError('mailstores.seedMessages needs median >= 0 and sizeMedianBytes > 0');
    }
    this.name = options.name ?? 'main';
    this.#clock = options.clock;
    this.#options = options;
    this.#seedBase = Math.floor(options.random.fork(`mailstore:${this.name}`).next() * 2 ** 32);
  }

  /** Calls `listener` for every delivered or appended message that carries a ledger id. Returns an unsubscribe function. */
  onArrival(listener: (arrival: MailArrival) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The MTA's final delivery into a user's INBOX. */
  deliver(recipient: string, raw: Buffer | string): StoredMessage {
    return this.#store(recipient, 'INBOX', typeof raw === 'string' ? Buffer.from(raw) : raw, [], this.#clock.now(), 'deliver');
  }

  /** IMAP APPEND; undefined when the mailbox does not exist. */
  append(user: string, mailbox: string, raw: Buffer, flags: readonly string[] = [], internalDate = this.#clock.now()): StoredMessage | undefined {
    if (!this.mailbox(user, mailbox)) return undefined;
    return this.#store(user, mailbox, raw, flags, internalDate, 'append');
  }

  /** The user's mailboxes by name (INBOX, Sent, Drafts, Trash and any created), made (and seeded) on first touch. */
  mailboxes(user: string): Map<string, Mailbox> {
    const boxes = this.#boxes(user);
    // Only INBOX exists until someone looks at the folder list: a storm delivering to a
    // million recipients should not build four folders for each of them.
    if (!boxes.has(DEFAULT_MAILBOXES[1] as string)) {
      const validity = (boxes.get('INBOX') as Mailbox).uidValidity;
      for (const name of DEFAULT_MAILBOXES.slice(1)) if (!boxes.has(name)) boxes.set(name, new Mailbox(name, validity));
    }
    return boxes;
  }

  #boxes(user: string): Map<string, Mailbox> {
    const key = user.trim().toLowerCase();
    let boxes = this.#users.get(key);
    if (!boxes) {
      const validity = (fnv1a(key, this.#seedBase) % 2_000_000_000) + 1;
      const inbox = new Mailbox('INBOX', validity);
      boxes = new Map([['INBOX', inbox]]);
      this.#users.set(key, boxes);
      if (this.#options.seed) this.#seed(key, inbox, this.#options.seed);
    }
    return boxes;
  }

  /** INBOX is case-insensitive (RFC 3501); other names are exact. */
  mailbox(user: string, name: string): Mailbox | undefined {
    const boxes = name.toUpperCase() === 'INBOX' ? this.#boxes(user) : this.mailboxes(user);
    return boxes.get(name.toUpperCase() === 'INBOX' ? 'INBOX' : name);
  }

  create(user: string, name: string): boolean {
    const boxes = this.mailboxes(user);
    if (this.mailbox(user, name) || name.trim() === '') return false;
    boxes.set(name, new Mailbox(name, (fnv1a(`${user}/${name}`, this.#seedBase) % 2_000_000_000) + 1));
    return true;
  }

  /** Whether a user's seeded mailbox holds a corrupt message (known without seeding it). */
  isCorrupt(user: string): boolean {
    const listed = this.#options.corruptUsers;
    if (listed) return this.#options.seed !== undefined && listed.has(user.trim().toLowerCase());
    const share = this.#options.corruptShare ?? 0;
    return this.#options.seed !== undefined && share > 0 && (fnv1a(`corrupt:${user.trim().toLowerCase()}`, this.#seedBase) / 2 ** 32) < share;
  }

  /** Users touched so far. */
  users(): IterableIterator<string> {
    return this.#users.keys();
  }

  #store(user: string, mailbox: string, raw: Buffer, flags: readonly string[], date: number, via: MailArrival['via']): StoredMessage {
    const box = this.mailbox(user, mailbox) as Mailbox;
    const message = box.add((uid) => storedMessage(uid, raw, date, flags));
    if (this.#listeners.size > 0) {
      const { id, messageId } = this.#headers(raw);
      if (id !== undefined) {
        const arrival: MailArrival = { id, recipient: user.trim().toLowerCase(), at: this.#clock.now(), store: this.name, mailbox: box.name, via };
        if (messageId) arrival.messageId = messageId;
        for (const listener of this.#listeners) listener(arrival);
      }
    }
    return message;
  }

  /** Header values per Buffer: a fanned-out message is parsed once, not once per recipient. */
  #headers(raw: Buffer): { id: string | undefined; messageId: string | undefined } {
    let found = this.#parsed.get(raw);
    if (!found) {
      found = { id: ledgerIdOf(raw), messageId: headerValue(raw, 'Message-ID') };
      this.#parsed.set(raw, found);
    }
    return found;
  }

  #seed(user: string, inbox: Mailbox, spec: SeedSpec): void {
    const random = this.#options.random.fork(`seed:${this.name}:${user}`);
    const max = this.#options.maxSeededMessages ?? 10_000;
    const drawn = Math.min(max, Math.round(spec.median === 0 ? 0 : random.logNormal(spec.median, spec.sigma)));
    // A corrupt mailbox always has at least the one message that fails.
    const corrupt = this.isCorrupt(user);
    const count = corrupt ? Math.max(1, drawn) : drawn;
    const corruptAt = corrupt ? random.int(0, count - 1) : -1;
    const now = this.#clock.now();
    for (let k = 0; k < count; k++) {
      const size = Math.max(200, Math.round(random.logNormal(spec.sizeMedianBytes, spec.sizeSigma ?? 1)));
      const date = now - Math.round(random.next() * 365 * 86_400_000);
      inbox.add((uid) => seededMessage(uid, fnv1a(`${user}:${uid}`, this.#seedBase), size, date, user, k === corruptAt));
    }
  }
}
