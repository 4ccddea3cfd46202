import net from 'node:net';
import test from 'ava';
import { createImapConnector } from '../../engine/clients/imap-client.ts';
import type { Endpoints } from '../../stack/types.ts';
import { RecordingMetrics } from '../ledger/recording-metrics.ts';

// A few lines of scripted IMAP: enough to see a login succeed or fail as a real server answers.
async function scriptedImap(password: string) {
  const server = net.createServer((socket) => {
    socket.write('* OK [CAPABILITY IMAP4rev1] ready\r\n');
    let buffer = '';
    socket.on('data', (data) => {
      buffer += data.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        const [tag, command] = line.split(' ');
        const upper = (command ?? '').toUpperCase();
        if (upper === 'CAPABILITY') socket.write(`* CAPABILITY IMAP4rev1\r\n${tag} OK done\r\n`);
        else if (upper === 'LOGIN') {
          if (line.includes(`"${password}"`) || line.endsWith(` ${password}`)) socket.write(`${tag} OK [CAPABILITY IMAP4rev1] logged in\r\n`);
          else socket.write(`${tag} NO [AUTHENTICATIONFAILED] Invalid credentials\r\n`);
        } else if (upper === 'LOGOUT') socket.end(`* BYE\r\n${tag} OK bye\r\n`);
        else socket.write(`${tag} OK done\r\n`);
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

test('times a login and counts a failed one', async (t) => {
  const server = await scriptedImap('secret');
  const port = (server.address() as net.AddressInfo).port;
  const endpoints: Endpoints = { smtp: { host: '', port: 0 }, submission: { host: '', port: 0 }, imap: { host: '127.0.0.1', port }, activesync: '', toxiproxy: '', proxies: {}, extra: {} };
  const metrics = new RecordingMetrics();
  const imap = createImapConnector({ endpoints, metrics });
  const client = await imap.connect({ user: 'a@nhs.test', pass: 'secret' });
  t.true(client.usable);
  await client.logout();
  await t.throwsAsync(imap.connect({ user: 'a@nhs.test', pass: 'wrong' }));
  t.is(metrics.total('imap.login_time'), 1);
  t.is(metrics.total('imap.login_failures'), 1);
  await t.throwsAsync(imap.connect({ user: 'a@nhs.test', pass: 'secret' }, 'imap-nowhere'), { message: /imap-nowhere/ });
  server.close();
});
