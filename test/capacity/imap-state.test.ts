// user-day's IMAP sessions check what the server answers about the messages they appended:
// a server that answers a FETCH with the wrong size is caught, not just timed.
import test from 'ava';
import net from 'node:net';
import { ImapFlow } from 'imapflow';
import { startImap } from '../fakes-mailstore/helpers.ts';
import { seededRandom } from '../../engine/random.ts';
import { runImapSession } from '../../scenarios/user-day/imap-session.ts';

/** A loopback relay that adds one to every RFC822.SIZE the server sends. */
async function sizeLyingProxy(upstreamPort: number): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(upstreamPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => client.write(chunk.toString('latin1').replace(/RFC822\.SIZE (\d+)/g, (_, n: string) => `RFC822.SIZE ${Number(n) + 1}`), 'latin1'));
    const end = () => { client.destroy(); upstream.destroy(); };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}

async function session(port: number, user: { address: string; password: string }, seed: number) {
  const client = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user: user.address, pass: user.password }, logger: false, connectionTimeout: 10_000 });
  await client.connect();
  const commands: string[] = [];
  const mismatches: string[] = [];
  try {
    await runImapSession(client, {
      commands: 40, random: seededRandom(seed), messageBytes: 2048,
      recorder: { command: (name, ms, ok) => { if (ok && ms >= 0) commands.push(name); }, mismatch: (name, detail) => mismatches.push(`${name}: ${detail}`) },
    });
    await client.logout();
  } finally {
    client.close();
  }
  return { commands, mismatches };
}

test('a truthful server: every command of the imaptest mix runs and nothing contradicts the session', async (t) => {
  const { server, user } = await startImap();
  await using _ = server;
  const { commands, mismatches } = await session(server.port, user, 3);
  t.deepEqual(mismatches, []);
  for (const name of ['SELECT', 'FETCH', 'STORE', 'APPEND', 'EXPUNGE', 'LIST', 'STATUS']) t.true(commands.includes(name), `${name} ran`);
  t.is(commands.filter((c) => c === 'SELECT').length, 1);
  t.true(commands.length >= 41, `${commands.length} commands`);
});

test('a server that answers FETCH with the wrong RFC822.SIZE is flagged, naming the uid and both sizes', async (t) => {
  const { server, user } = await startImap();
  await using _ = server;
  const proxy = await sizeLyingProxy(server.port);
  t.teardown(proxy.close);
  const { commands, mismatches } = await session(proxy.port, user, 3);
  const fetches = commands.filter((c) => c === 'FETCH').length;
  t.true(fetches > 0);
  const sizeErrors = mismatches.filter((m) => /^FETCH: uid \d+: RFC822\.SIZE (\d+), appended (\d+) bytes$/.test(m));
  t.is(sizeErrors.length, fetches, mismatches.join('\n'));
  for (const m of sizeErrors) {
    const [, told, appended] = /RFC822\.SIZE (\d+), appended (\d+)/.exec(m)!;
    t.is(Number(told), Number(appended) + 1);
  }
});
