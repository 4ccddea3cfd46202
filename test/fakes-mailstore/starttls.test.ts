// The fake IMAP server's STARTTLS on the wire: before it no login is possible (LOGINDISABLED,
// PRIVACYREQUIRED), commands sent in clear behind STARTTLS are dropped rather than run as if
// encrypted, and after the handshake (verified against the CA) the login works.
import test from 'ava';
import net from 'node:net';
import tls from 'node:tls';
import { ManualClock } from '../../engine/clock.ts';
import { seededRandom } from '../../engine/random.ts';
import { Directory } from '../../directory/index.ts';
import { FakeImapServer, MailStore } from '../../fakes/mailstore/index.ts';
import { generateTlsCertificate } from '../../fakes/tls/certificate.ts';

/** Reads from `socket` until `pattern` shows up in what arrived since the last read. */
function reader(socket: net.Socket) {
  let received = '';
  socket.on('data', (d: Buffer) => { received += d.toString('latin1'); });
  return async (pattern: RegExp): Promise<string> => {
    for (let waited = 0; !pattern.test(received); waited += 20) {
      if (waited > 5000) throw new Error(`timed out waiting for ${pattern}; got: ${received}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const out = received;
    received = '';
    return out;
  };
}

test('STARTTLS: no login in clear, cleartext pipelined behind STARTTLS is dropped, login after the handshake', async (t) => {
  const clock = new ManualClock(1_700_000_000_000);
  const directory = new Directory({ clock, random: seededRandom(3), population: { organisations: [{ name: 'Trust', users: 3 }] } });
  const certificate = await generateTlsCertificate();
  await using server = await new FakeImapServer({ store: new MailStore({ clock, random: seededRandom(4) }), directory, clock, tls: { mode: 'starttls', cert: certificate.cert, key: certificate.key } }).start();
  const user = directory.user(directory.addressAt(0))!;
  const raw = net.connect(server.port, '127.0.0.1');
  const read = reader(raw);
  const greeting = await read(/\r\n/);
  t.regex(greeting, /^\* OK \[CAPABILITY IMAP4rev1 [^\]]* STARTTLS LOGINDISABLED\]/);
  t.false(greeting.includes('AUTH=PLAIN'), 'no SASL offered in clear');
  raw.write(`a1 LOGIN ${user.address} "${user.password}"\r\n`);
  t.regex(await read(/^a1 .*\r\n/m), /^a1 NO \[PRIVACYREQUIRED\]/m);
  // a man in the middle's injected command rides in clear behind STARTTLS: it must not run
  raw.write(`a2 STARTTLS\r\na3 LOGIN ${user.address} "${user.password}"\r\n`);
  t.regex(await read(/^a2 .*\r\n/m), /^a2 OK Begin TLS negotiation now\r\n$/m);
  raw.removeAllListeners('data');
  const secure = tls.connect({ socket: raw, ca: certificate.ca, servername: 'localhost' });
  await new Promise<void>((resolve, reject) => secure.once('secureConnect', resolve).once('error', reject));
  t.true(secure.authorized);
  const readSecure = reader(secure);
  secure.write('a4 CAPABILITY\r\n');
  const capability = await readSecure(/^a4 .*\r\n/m);
  t.false(capability.includes('a3 '), 'the injected LOGIN was dropped');
  t.regex(capability, /^\* CAPABILITY IMAP4rev1 LITERAL\+ SASL-IR AUTH=PLAIN ID ENABLE NAMESPACE UIDPLUS UNSELECT\r\n/m);
  secure.write('a5 STARTTLS\r\n');
  t.regex(await readSecure(/^a5 .*\r\n/m), /^a5 BAD The connection is already encrypted/m);
  secure.write(`a6 LOGIN ${user.address} "${user.password}"\r\n`);
  t.regex(await readSecure(/^a6 .*\r\n/m), /^a6 OK \[CAPABILITY [^\]]*\] Logged in/m);
  secure.destroy();
});
