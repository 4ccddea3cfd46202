// One IMAP mailbox: messages ordered by uid (sequence number = position + 1).
import type { StoredMessage } from './message.ts';

export const SPECIAL_USE: Readonly<Record<string, string>> = { Sent: '\\Sent', Drafts: '\\Drafts', Trash: '\\Trash', Junk: '\\Junk' };

export class Mailbox {
  readonly messages: StoredMessage[] = [];
  uidNext = 1;

  constructor(readonly name: string, readonly uidValidity: number) {}

  add(make: (uid: number) => StoredMessage): StoredMessage {
    const message = make(this.uidNext++);
    this.messages.push(message);
    return message;
  }

  get unseen(): number {
    let n = 0;
    for (const m of this.messages) if (!m.flags.has('\\Seen')) n++;
    return n;
  }

  /**
   * Removes \Deleted messages (only those `only` accepts, for UID EXPUNGE); returns their
   * former sequence numbers, highest first (the order EXPUNGE replies need).
   */
  expunge(only: (message: StoredMessage) => boolean = () => true): number[] {
    const gone: number[] = [];
    for (let i = this.messages.length - 1; i >= 0; i--) {
      const message = this.messages[i];
      if (message?.flags.has('\\Deleted') && only(message)) {
        this.messages.splice(i, 1);
        gone.push(i + 1);
      }
    }
    return gone;
  }

  bytes(): number {
    let n = 0;
    for (const m of this.messages) n += m.size;
    return n;
  }
}
