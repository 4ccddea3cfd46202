import { once } from 'node:events';
import net from 'node:net';
import test from 'ava';
import type { SMTPServerOptions, SMTPServerSession } from 'smtp-server';
import { close, FastSmtpServer, listen } from '../../fakes/smtp/fast-smtp-server.ts';
import { RawSmtp } from './raw-smtp.ts';

async function startServer(options: SMTPServerOptions) {
  const server = new FastSmtpServer({ logger: false, authOptional: true, ...options });
  const port = await listen(server, '127.0.0.1', 0);
  return { port, [Symbol.asyncDispose]: () => close(server) };
}

// The fake MTA's onConnect answers at once, so its sessions are ready as soon as they exist.
const acceptAll: SMTPServerOptions['onConnect'] = (_session, callback) => callback();

test('a client that speaks before the greeting is greeted and served, not told it talks too soon', async (t) => {
  await using server = await startServer({ onConnect: acceptAll });
  const smtp = await RawSmtp.connect(server.port);
  smtp.socket.write('EHLO early.test\r\n');
  t.regex(await smtp.reply(), /^220 /);
  t.regex(await smtp.reply(), /^250[ -]/);
  smtp.destroy();
});

test('every session gets its own id', async (t) => {
  const ids: string[] = [];
  await using server = await startServer({
    onConnect(session: SMTPServerSession, callback) {
      ids.push(session.id);
      callback();
    },
  });
  for (let i = 0; i < 3; i++) {
    const smtp = await RawSmtp.connect(server.port);
    t.regex(await smtp.reply(), /^220 /);
    smtp.destroy();
  }
  t.is(ids.length, 3);
  t.is(new Set(ids).size, 3);
  for (const id of ids) t.regex(id, /^[0-9a-v]{16}$/);
});

test('with the PROXY protocol on, the client address still comes from the PROXY header', async (t) => {
  const addresses: string[] = [];
  await using server = await startServer({
    useProxy: true,
    onConnect(session: SMTPServerSession, callback) {
      addresses.push(session.remoteAddress);
      callback();
    },
  });
  const smtp = await RawSmtp.connect(server.port);
  smtp.socket.write('PROXY TCP4 203.0.113.9 127.0.0.1 40000 25\r\n');
  t.regex(await smtp.reply(), /^220 /);
  t.deepEqual(addresses, ['203.0.113.9']);
  smtp.destroy();
});

test('after QUIT the server closes the connection once 221 is out, without waiting for the client to close its side', async (t) => {
  const closedAt: number[] = [];
  await using server = await startServer({ onConnect: acceptAll, onClose: () => void closedAt.push(Date.now()) });
  // allowHalfOpen: this client never closes its side on its own, as a client that resets later would not.
  const socket = net.connect({ port: server.port, host: '127.0.0.1', allowHalfOpen: true });
  socket.setEncoding('latin1');
  let received = '';
  socket.on('data', (data: string) => (received += data));
  await once(socket, 'connect');
  const until = async (pattern: RegExp) => {
    while (!pattern.test(received)) await once(socket, 'data');
  };
  await until(/^220 /m);
  socket.write('EHLO client.test\r\n');
  await until(/^250 /m);
  received = '';
  socket.write('QUIT\r\nNOOP\r\n'); // a command pipelined after QUIT is not run
  await once(socket, 'end'); // the server's FIN
  t.regex(received, /^221 [^\r\n]*Bye\r\n$/);
  await new Promise((resolve) => setTimeout(resolve, 500));
  // smtp-server alone half-closes and waits for the client's FIN (up to 5 s): no close yet.
  t.is(closedAt.length, 1, 'the session is closed on the server while the client still holds its side');
  socket.destroy();
});
