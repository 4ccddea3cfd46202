import test from 'ava';
import { rawSession, startImap } from './helpers.ts';

test('unknown and malformed commands get BAD and the connection keeps serving', async (t) => {
  const { server, user } = await startImap();
  await using _ = server;
  const imap = await rawSession(server.port);
  t.regex(await imap.command('a1', 'FROBNICATE now'), /^a1 BAD Unknown command FROBNICATE/m);
  t.regex(await imap.command('a2', 'FETCH ((('), /^a2 BAD/m);
  imap.send('garbage\r\n');
  t.regex(await imap.until(/BAD[^\r]*\r\n/), /^\* BAD/m);
  t.regex(await imap.command('a3', 'SELECT INBOX'), /^a3 BAD Log in first/m);
  t.regex(await imap.command('a4', `LOGIN ${user.address} "${user.password}"`), /^a4 OK/m);
  t.regex(await imap.command('a5', 'SELECT INBOX'), /^a5 OK \[READ-WRITE\]/m);
  t.regex(await imap.command('a6', 'FETCH 1:x (FLAGS)'), /^a6 BAD/m);
  t.regex(await imap.command('a7', 'UID FETCH 1:* (ENVELOPE)'), /^a7 BAD unsupported fetch item ENVELOPE/m);
  t.regex(await imap.command('a8', 'UID SEARCH SUBJECT x'), /^a8 BAD unsupported search key/m);
  t.regex(await imap.command('a9', 'NOOP'), /^a9 OK/m);
  t.regex(await imap.command('b1', 'LOGOUT'), /^\* BYE[\s\S]*b1 OK/m);
  imap.close();
});

test('a literal split across TCP chunks is read whole; LITERAL+ needs no continuation', async (t) => {
  const { server, user, store } = await startImap();
  await using _ = server;
  const imap = await rawSession(server.port);
  await imap.command('a1', `LOGIN {${user.address.length}+}\r\n${user.address} "${user.password}"`);
  const message = 'Subject: split\r\nX-Mailstorm-Id: id-42\r\n\r\nhello world\r\n';
  const arrivals: string[] = [];
  store.onArrival((a) => arrivals.push(`${a.id} ${a.recipient} ${a.via}`));
  imap.send(`a2 APPEND INBOX (\\Seen) {${message.length}}\r\n`);
  t.regex(await imap.until(/^\+ [^\r]*\r\n/m), /^\+/);
  imap.send(message.slice(0, 10));
  await new Promise((resolve) => setTimeout(resolve, 50));
  imap.send(message.slice(10) + '\r\n');
  t.regex(await imap.until(/a2 (OK|NO|BAD)[^\r]*\r\n/), /a2 OK \[APPENDUID \d+ 1\]/);
  t.deepEqual(arrivals, [`id-42 ${user.address} append`]);
  await imap.command('a3', 'SELECT INBOX');
  const fetched = await imap.command('a4', 'UID FETCH 1 (UID FLAGS BODY.PEEK[])');
  t.true(fetched.includes(`BODY[] {${message.length}}\r\n${message})`));
  t.regex(fetched, /FLAGS \(\\Seen\)/);
  imap.close();
});

test('an oversized literal is refused with NO and an overlong line ends the connection with BYE', async (t) => {
  const { server, user } = await startImap({ maxLineBytes: 1024, maxCommandBytes: 4096 });
  await using _ = server;
  const imap = await rawSession(server.port);
  await imap.command('a1', `LOGIN ${user.address} "${user.password}"`);
  t.regex(await imap.command('a2', 'APPEND INBOX {100000}'), /^a2 NO \[TOOBIG\]/m);
  t.regex(await imap.command('a3', 'NOOP'), /^a3 OK/m);
  imap.send(`a4 NOOP ${'x'.repeat(5000)}`);
  t.regex(await imap.until(/BYE[^\r]*\r\n/), /\* BYE line too long/);
  imap.close();
});

test('a corrupt message fails to fetch with NO, the others are served and the connection survives', async (t) => {
  const { server, user, store } = await startImap({ store: { seed: { median: 5, sigma: 0.1, sizeMedianBytes: 2000 }, corruptShare: 1 } });
  await using _ = server;
  t.true(store.isCorrupt(user.address));
  const imap = await rawSession(server.port);
  await imap.command('a1', `LOGIN ${user.address} "${user.password}"`);
  const selected = await imap.command('a2', 'EXAMINE INBOX');
  const exists = Number(/\* (\d+) EXISTS/.exec(selected)?.[1]);
  t.true(exists >= 1);
  const sizes = await imap.command('a3', 'UID FETCH 1:* (UID RFC822.SIZE)');
  t.is(sizes.match(/RFC822\.SIZE/g)?.length, exists);
  const bodies = await imap.command('a4', 'UID FETCH 1:* (UID BODY.PEEK[])');
  t.regex(bodies, /^a4 NO \[SERVERBUG\] 1 message\(s\) could not be read/m);
  t.is(bodies.match(/BODY\[\] \{/g)?.length ?? 0, exists - 1);
  t.regex(await imap.command('a5', 'NOOP'), /^a5 OK/m);
  imap.close();
});

test('AUTHENTICATE PLAIN with a continuation, CREATE, LIST patterns, STORE and EXPUNGE', async (t) => {
  const { server, user } = await startImap();
  await using _ = server;
  const imap = await rawSession(server.port);
  imap.send('a1 AUTHENTICATE PLAIN\r\n');
  t.regex(await imap.until(/^\+ *\r\n/m), /^\+/);
  imap.send(`${Buffer.from(`\0${user.address}\0${user.password}`).toString('base64')}\r\n`);
  t.regex(await imap.until(/a1 (OK|NO|BAD)[^\r]*\r\n/), /a1 OK/);
  t.regex(await imap.command('a2', 'CREATE Archive/2009'), /^a2 OK/m);
  t.regex(await imap.command('a3', 'CREATE Archive/2009'), /^a3 NO \[ALREADYEXISTS\]/m);
  const list = await imap.command('a4', 'LIST "" "Arch*"');
  t.regex(list, /\* LIST \(\\HasNoChildren\) "\/" "Archive\/2009"/);
  t.notRegex(list, /INBOX/);
  t.regex(await imap.command('a5', 'STATUS Nowhere (MESSAGES)'), /^a5 NO \[NONEXISTENT\]/m);
  for (const tag of ['b1', 'b2', 'b3']) t.regex(await imap.command(tag, `APPEND Archive/2009 {10+}\r\nSubject: x`), /OK \[APPENDUID/);
  t.regex(await imap.command('a6', 'SELECT Archive/2009'), /\* 3 EXISTS/);
  t.regex(await imap.command('a7', 'STORE 2 +FLAGS (\\Deleted)'), /\* 2 FETCH \(FLAGS \(\\Deleted\)\)/);
  t.regex(await imap.command('a8', 'EXPUNGE'), /\* 2 EXPUNGE[\s\S]*a8 OK/);
  t.regex(await imap.command('a9', 'UID SEARCH ALL'), /\* SEARCH 1 3\r\n/);
  t.regex(await imap.command('c1', 'STATUS Archive/2009 (MESSAGES UIDNEXT UNSEEN)'), /\* STATUS "Archive\/2009" \(MESSAGES 2 UIDNEXT 4 UNSEEN 2\)/);
  imap.close();
});

test('an idle connection is logged out with BYE', async (t) => {
  const { server } = await startImap({ idleTimeoutMs: 300 });
  await using _ = server;
  const imap = await rawSession(server.port);
  t.regex(await imap.until(/BYE[^\r]*\r\n/), /\* BYE Autologout/);
  imap.close();
});

test('random garbage and a disconnect mid-literal cost only that connection', async (t) => {
  const { server, user } = await startImap();
  await using _ = server;
  const { seededRandom } = await import('../../engine/random.ts');
  const random = seededRandom(99);
  const noisy = await rawSession(server.port);
  for (let k = 0; k < 50; k++) {
    const bytes = Buffer.from(Array.from({ length: random.int(1, 60) }, () => random.int(0, 255)));
    noisy.send(Buffer.concat([Buffer.from(`g${k} `), bytes.filter((b) => b !== 10 && b !== 123), Buffer.from('\r\n')]));
  }
  t.regex(await noisy.command('z1', 'NOOP'), /^z1 OK/m);
  const cut = await rawSession(server.port);
  await cut.command('c1', `LOGIN ${user.address} "${user.password}"`);
  cut.send('c2 APPEND INBOX {5000}\r\n');
  await cut.until(/^\+/m);
  cut.send('only part of it');
  cut.close();
  const other = await rawSession(server.port);
  t.regex(await other.command('o1', `LOGIN ${user.address} "${user.password}"`), /^o1 OK/m);
  t.regex(await other.command('o2', 'STATUS INBOX (MESSAGES)'), /MESSAGES 0/);
  other.close();
  noisy.close();
});

test('before login a literal beyond 4 KiB is refused as Dovecot does (BYE, never "+"); after login a 100 KB APPEND is taken', async (t) => {
  const { server, user } = await startImap();
  await using _ = server;
  for (const marker of ['', '+']) {
    const imap = await rawSession(server.port);
    imap.send(`a1 LOGIN {52428800${marker}}\r\n`);
    const reply = await imap.until(/BYE[^\r]*\r\n/);
    t.is(reply, '* BYE Literal size too large\r\n', `literal {52428800${marker}}: no continuation, one BYE`);
    await new Promise<void>((resolve) => (imap.socket.destroyed ? resolve() : imap.socket.once('close', () => resolve())));
    t.true(imap.socket.destroyed, 'the server closed the connection instead of buffering the literal');
  }
  // A long line before login is capped too.
  const long = await rawSession(server.port);
  long.send(`a1 ID ("name" "${'x'.repeat(5000)}")\r\n`);
  t.regex(await long.until(/BYE[^\r]*\r\n/), /\* BYE line too long/);
  long.close();

  // A small literal before login, and a 100 KB APPEND after it, are served.
  const imap = await rawSession(server.port);
  imap.send(`a1 LOGIN {${user.address.length}}\r\n`);
  t.regex(await imap.until(/^\+ [^\r]*\r\n/m), /^\+/);
  imap.send(`${user.address} "${user.password}"\r\n`);
  t.regex(await imap.until(/a1 (OK|NO|BAD)[^\r]*\r\n/), /a1 OK/);
  const message = `Subject: big\r\n\r\n${'y'.repeat(100_000)}\r\n`;
  imap.send(`a2 APPEND INBOX {${message.length}}\r\n`);
  t.regex(await imap.until(/^\+ [^\r]*\r\n/m), /^\+/);
  imap.send(`${message}\r\n`);
  t.regex(await imap.until(/a2 (OK|NO|BAD)[^\r]*\r\n/), /a2 OK/);
  imap.close();
});
