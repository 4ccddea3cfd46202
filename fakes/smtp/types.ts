// Shapes shared by the fake MTA's parts: what it asks of the directory, what a queued
// message is, and where deliveries go (a mailstore or the ledger sink).
import type { DirectoryService } from '../../directory/types.ts';

/** The part of the directory the MTA uses. */
export type MtaDirectory = Pick<DirectoryService, 'domain' | 'authenticate' | 'exists' | 'expand'>;

/** One accepted message, stored once however many deliveries reference it. */
export interface QueuedMessage {
  raw: Buffer;
  /** X-Mailstorm-Id, when the message carries one. */
  ledgerId?: string;
  messageId?: string;
  from: string;
  acceptedAt: number;
}

/** Where the queue hands each delivery. Throw a DeliveryError to retry or bounce. */
export interface DeliveryTarget {
  readonly name: string;
  deliver(recipient: string, message: QueuedMessage): void | Promise<void>;
}

/** A failed delivery; `permanent` ones bounce at once, others are retried a few times. */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  constructor(message: string, readonly permanent: boolean) {
    super(message);
  }
}
