export { MailStore, type MailStoreOptions, type MailArrival, type SeedSpec } from './mailstore.ts';
export { Mailbox } from './mailbox.ts';
export { type StoredMessage, ledgerIdOf, headerValue } from './message.ts';
export { FakeImapServer, type FakeImapServerOptions, type StartedImapServer } from './imap/server.ts';
