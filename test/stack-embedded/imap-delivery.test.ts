import test from 'ava';
import { systemClock } from '../../engine/clock.ts';
import { createImapConnector } from '../../engine/clients/imap-client.ts';
import { createSmtpClient } from '../../engine/clients/smtp-client.ts';
import { embeddedProvider } from '../../stack/embedded/index.ts';
import { eventually } from '../fakes-smtp/helpers.ts';
import { stackOptions } from './helpers.ts';

test('mail submitted through the stack is in the recipient INBOX over IMAP', async (t) => {
  const options = stackOptions({ population: { organisations: [{ name: 'Tiny Trust', users: 5 }] } });
  await using stack = await embeddedProvider.start(options);
  const directory = stack.directory!;
  const sender = directory.user(directory.addressAt(0))!;
  const recipient = directory.user(directory.addressAt(1))!;
  const smtp = createSmtpClient({ endpoints: stack.endpoints, ledger: options.ledger, metrics: options.metrics, clock: systemClock });
  const sent = await smtp.send({ from: sender.address, to: [recipient.address], subject: 'over imap', auth: { user: sender.address, pass: sender.password } });
  t.true(sent.ok);
  t.true(await eventually(() => options.ledger.outstanding() === 0));
  const imap = await createImapConnector({ endpoints: stack.endpoints, metrics: options.metrics }).connect({ user: recipient.address, pass: recipient.password });
  const inbox = await imap.mailboxOpen('INBOX');
  t.true(inbox.exists >= 1);
  const ids: string[] = [];
  for await (const message of imap.fetch('1:*', { source: true })) ids.push(message.source?.toString() ?? '');
  t.true(ids.some((h) => h.includes(sent.id)));
  await imap.logout();
  await smtp.close();
});
