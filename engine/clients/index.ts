export { createSmtpClient, type SmtpClientOptions } from './smtp-client.ts';
export { createImapConnector, type ImapConnectorOptions } from './imap-client.ts';
export { createHttpClient, type HttpClientOptions } from './http-client.ts';
