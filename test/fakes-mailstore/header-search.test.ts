// The fake IMAP server answers what a remote reconcile asks of a real one: SEARCH HEADER for
// the ledger header among UIDs, and FETCH of just that header field.
import test from 'ava';
import { rawSession, startImap } from './helpers.ts';

test('SEARCH HEADER finds the messages carrying a header (empty value: any), FETCH HEADER.FIELDS returns only those lines', async (t) => {
  const { server, user } = await startImap();
  await using _ = server;
  const imap = await rawSession(server.port);
  t.regex(await imap.command('a1', `LOGIN ${user.address} "${user.password}"`), /^a1 OK/m);
  const messages = [
    'From: a@x.test\r\nX-Mailstorm-Id: run1.7\r\nSubject: one\r\n\r\nbody\r\n',
    'From: b@x.test\r\nSubject: no ledger header\r\n\r\nbody\r\n',
    'From: c@x.test\r\nx-mailstorm-id:\r\n  run1.9\r\nSubject: three\r\n\r\nbody\r\n',
  ];
  for (const [i, m] of messages.entries()) t.regex(await imap.command(`p${i}`, `APPEND INBOX {${m.length}+}\r\n${m}`), new RegExp(`^p${i} OK`, 'm'));
  t.regex(await imap.command('a2', 'EXAMINE INBOX'), /^a2 OK \[READ-ONLY\]/m);
  t.regex(await imap.command('a3', 'UID SEARCH HEADER X-Mailstorm-Id ""'), /^\* SEARCH 1 3\r\n/m);
  t.regex(await imap.command('a4', 'UID SEARCH UID 2:* HEADER X-MAILSTORM-ID "RUN1.9"'), /^\* SEARCH 3\r\n/m);
  t.regex(await imap.command('a5', 'UID SEARCH HEADER X-Mailstorm-Id "run2"'), /^\* SEARCH\r\n/m);
  const fetched = await imap.command('a6', 'UID FETCH 1,3 (UID INTERNALDATE BODY.PEEK[HEADER.FIELDS (X-Mailstorm-Id Message-ID)])');
  t.regex(fetched, /\* 1 FETCH \(UID 1 INTERNALDATE "[^"]+" BODY\[HEADER\.FIELDS \(X-MAILSTORM-ID MESSAGE-ID\)\] \{26\}\r\nX-Mailstorm-Id: run1\.7\r\n\r\n\)/);
  // a folded header line is returned whole
  t.regex(fetched, /\* 3 FETCH \(UID 3 .*\{29\}\r\nx-mailstorm-id:\r\n {2}run1\.9\r\n\r\n\)/);
  t.notRegex(fetched, /Subject|From/);
  t.regex(await imap.command('a7', 'UID FETCH 1 (BODY.PEEK[HEADER.FIELDS])'), /^a7 BAD/m);
  imap.close();
});
