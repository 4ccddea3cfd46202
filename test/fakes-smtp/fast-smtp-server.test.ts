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
