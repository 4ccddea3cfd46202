// Seeds a real Dovecot store over IMAP APPEND with the same mailboxes the embedded store
// holds for the same seed (fakes/mailstore generates them: log-normal counts and sizes), and
// plants the corrupt ones: the corrupt message is APPENDed whole, then its Maildir file is
// cut to half its length inside the container. Dovecot itself then fails every FETCH of
// its body ("Cached message size larger than expected") and drops the session, as it does
// for a message file damaged on disk; the damage is arranged, the failure is Dovecot's own.
import { ImapFlow } from 'imapflow';
import type { Clock } from '../../engine/clock.ts';
import type { Random } from '../../engine/random.ts';
import { StackError, errorMessage } from '../../engine/errors.ts';
import type { Directory } from '../../directory/index.ts';
import { MailStore } from '../../fakes/mailstore/index.ts';
import { seededMessage } from '../../fakes/mailstore/message.ts';
import type { MailstoreSpec } from '../common/spec-defaults.ts';
import { spreadUsers } from '../embedded/mail-services.ts';
import type { HostPort, TlsSettings } from '../../engine/endpoints.ts';
import { tlsConnectOptions } from '../../engine/clients/tls.ts';
import { corruptMessageFiles, type CorruptTarget } from './corrupt-message.ts';

export interface SeedOptions {
  store: MailstoreSpec;
  /** The store's Dovecot IMAP (published port, not the fault proxy: seeding is set-up, not load). */
  imap: HostPort;
  /** Runs a command in the store's container (to damage the corrupt messages' files). */
  exec(command: string[]): Promise<string>;
  directory: Directory;
  clock: Clock;
  /** The run's random source: forked exactly as the embedded stack forks it, so both stacks seed the same mailboxes. */
  random: Random;
  /** Concurrent IMAP sessions. */
  concurrency?: number;
  /** With TLS on: the store's 143 requires STARTTLS, verified against the stack's CA. */
  tls?: TlsSettings;
  /** With auth: oauth2 the store refuses passwords: each account logs in with its token (XOAUTH2). */
  tokenOf?: (address: string) => string;
}

export interface SeedReport {
  store: string;
  mailboxes: number;
  messages: number;
  bytes: number;
  /** Addresses whose INBOX holds a message Dovecot cannot read. */
  corrupt: string[];
}

/** Seeds every store that asks for it, stores in parallel, straight to each store's Dovecot. */
export async function seedStores(
  specs: readonly MailstoreSpec[],
  o: Pick<SeedOptions, 'directory' | 'clock' | 'random' | 'tls' | 'tokenOf'> & { storeAt(name: string): Pick<SeedOptions, 'imap' | 'exec'> | undefined },
): Promise<SeedReport[]> {
  return Promise.all(
    specs.filter((s) => s.seedMessages).map((store) => {
      const at = o.storeAt(store.name);
      if (!at) throw new StackError(`mailstores[${store.name}]: no container serves this store`);
      return seedMailstore({ store, imap: at.imap, exec: at.exec, directory: o.directory, clock: o.clock, random: o.random, ...(o.tls && { tls: o.tls }), ...(o.tokenOf && { tokenOf: o.tokenOf }) });
    }),
  );
}

export async function seedMailstore(o: SeedOptions): Promise<SeedReport> {
  const spec = o.store;
  if (!spec.seedMessages) return { store: spec.name, mailboxes: 0, messages: 0, bytes: 0, corrupt: [] };
  // The embedded store's generator, built as stack/embedded/mail-services.ts builds it.
  const generator = new MailStore({
    name: spec.name,
    clock: o.clock,
    random: o.random.fork(`mailstore:${spec.name}`),
    seed: spec.seedMessages,
    ...(spec.corruptShare !== undefined && { corruptShare: spec.corruptShare }),
    ...(spec.corruptMailboxes !== undefined && { corruptUsers: spreadUsers(o.directory, spec.corruptMailboxes) }),
  });
  const report: SeedReport = { store: spec.name, mailboxes: 0, messages: 0, bytes: 0, corrupt: [] };
  const damaged: CorruptTarget[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < o.directory.userCount; i = next++) {
      const address = o.directory.addressAt(i).toLowerCase();
      const messageId = await seedUser(o, generator, address, report);
      if (messageId !== undefined) damaged.push({ address, messageId });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, o.concurrency ?? 8) }, worker));
  if (damaged.length > 0) await corruptMessageFiles(o.exec, damaged);
  report.corrupt = damaged.map((d) => d.address).sort();
  return report;
}

/** APPENDs one user's seeded INBOX; returns the Message-ID of the message to damage, if the mailbox is corrupt. */
async function seedUser(o: SeedOptions, generator: MailStore, address: string, report: SeedReport): Promise<string | undefined> {
  const messages = generator.mailbox(address, 'INBOX')?.messages ?? [];
  if (messages.length === 0) return undefined;
  const auth = o.tokenOf ? { user: address, accessToken: o.tokenOf(address) } : { user: address, pass: o.directory.user(address)?.password ?? '' };
  const client = new ImapFlow({
    host: o.imap.host, port: o.imap.port, secure: false, auth, logger: false, disableAutoIdle: true,
    ...(o.tls && { doSTARTTLS: true, tls: tlsConnectOptions(o.tls) }),
  });
  let corruptId: string | undefined;
  try {
    await client.connect();
    for (const m of messages) {
      // The generator refuses to produce a corrupt message's bytes; an ordinary seeded
      // message of the same size stands in, to be damaged on disk afterwards.
      const raw = m.corrupt ? seededMessage(m.uid, 0, m.size, m.internalDate, address, false).raw() : m.raw();
      if (m.corrupt) corruptId = `<seed-0-${m.uid}@seed.test>`;
      await client.append('INBOX', raw, [...m.flags], new Date(m.internalDate));
      report.messages++;
      report.bytes += raw.length;
    }
    report.mailboxes++;
  } catch (error) {
    throw new StackError(`seeding mailstore "${o.store.name}": ${address}: ${errorMessage(error)}`);
  } finally {
    await client.logout().catch(() => client.close());
  }
  return corruptId;
}
