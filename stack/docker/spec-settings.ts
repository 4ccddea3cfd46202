// What a StackSpec means for the real Postfix/Dovecot containers: environment for the
// entrypoint, notes for what is approximated, and StackErrors for what cannot be honoured.
import type { StackSpec } from '../types.ts';
import { deliveryTargetOf, mailstoresOf, primaryStore } from '../common/spec-defaults.ts';
import { standbySettings, type StandbySettings } from './standby-settings.ts';

export interface MailSettings {
  /** Environment common to every mail container (delivery is added per container). */
  env: Record<string, string>;
  /** "sink" or the mailstore name Postfix delivers the population's mail to. */
  deliverTo: string;
  /** Mailstores to run, the primary first: the MTA container's own Dovecot serves it. */
  stores: string[];
  /** The standby platform (nodes, its own sizing), when the spec asks for one. */
  standby?: StandbySettings;
  notes: string[];
}

export function mailSettings(spec: StackSpec, domain: string): MailSettings {
  const notes: string[] = [];
  const env: Record<string, string> = { MAIL_DOMAIN: domain };
  const mta = spec.mta ?? {};
  if (mta.maxMessageBytes !== undefined) env.MESSAGE_SIZE_LIMIT = String(mta.maxMessageBytes);
  if (mta.deliveryWorkers !== undefined) {
    env.DELIVERY_CONCURRENCY = String(mta.deliveryWorkers);
    notes.push(`mta.deliveryWorkers=${mta.deliveryWorkers} applied as Postfix lmtp_destination_concurrency_limit`);
  }
  if (mta.deliveryRatePerSec !== undefined) {
    // Postfix paces per destination in whole seconds; only slow rates can be expressed.
    if (mta.deliveryRatePerSec > 0 && mta.deliveryRatePerSec <= 1) {
      env.DELIVERY_RATE_DELAY = `${Math.round(1 / mta.deliveryRatePerSec)}s`;
      env.DELIVERY_CONCURRENCY = '1';
      notes.push(`mta.deliveryRatePerSec=${mta.deliveryRatePerSec} applied as lmtp_destination_rate_delay=${env.DELIVERY_RATE_DELAY}`);
    } else {
      notes.push(`mta.deliveryRatePerSec=${mta.deliveryRatePerSec} not applied: Postfix's own delivery speed is what is measured`);
    }
  }
  // perSenderPerMinute and stormProtection are postfwd's (see postfwd-rules.ts): Postfix's own
  // rate limit counts per client address, which every simulated sender shares here.
  if (mta.highWater !== undefined) notes.push(`mta.highWater not applied: Postfix has no queue-size limit for new mail (only disk space, queue_minfree), so it queues without a high-water reject`);
  if (spec.standby?.broken) notes.push('standby.broken: the standby proxy points at a closed port, so failover cannot succeed');

  // Same defaults and checks as the embedded stack, so a scenario means the same on both.
  const storeSpecs = mailstoresOf(spec);
  for (const store of storeSpecs) {
    // Corruption is planted in seeded mailboxes only, as on the embedded stack.
    if (!store.seedMessages && (store.corruptShare || store.corruptMailboxes)) {
      notes.push(`mailstores[${store.name}]: corrupt mailboxes not applied: the store is not seeded, so there is no message to damage (as on the embedded stack)`);
    }
    if (store.seedMessages) {
      notes.push(`mailstores[${store.name}]: INBOXes seeded over IMAP APPEND into real Dovecot before the run (same generator and seed as the embedded stack)`);
    }
    if (store.seedMessages && (store.corruptShare || store.corruptMailboxes)) {
      notes.push(`mailstores[${store.name}]: corrupt mailboxes arranged by cutting one seeded message's Maildir file in half; Dovecot's own size check then fails every FETCH of it`);
    }
  }
  const primary = primaryStore(storeSpecs);
  const stores = [primary, ...storeSpecs.map((s) => s.name).filter((n) => n !== primary)];
  const deliverTo = deliveryTargetOf(spec, storeSpecs);
  // Postfix delivers to a mailstorm listener (sink or mailstore router) unless one store takes all.
  const standby = standbySettings(spec, deliverTo === 'sink' || stores.length > 1);
  if (standby) notes.push(...standby.notes);
  return { env, deliverTo, stores, ...(standby && { standby }), notes };
}
