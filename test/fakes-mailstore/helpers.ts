import net from 'node:net';
import { ManualClock } from '../../engine/clock.ts';
import { seededRandom } from '../../engine/random.ts';
import { Directory, type DirectoryOptions } from '../../directory/index.ts';
import { FakeImapServer, MailStore, type MailStoreOptions } from '../../fakes/mailstore/index.ts';

export async function startImap(opts: { directory?: Partial<DirectoryOptions>; store?: Partial<MailStoreOptions>; maxLineBytes?: number; maxCommandBytes?: number; idleTimeoutMs?: number } = {}) {
  const clock = new ManualClock(1_700_000_000_000);
  const random = seededRandom(7);
  const directory = new Directory({ clock, random, population: { organisations: [{ name: 'Northgate NHS Trust', users: 50 }] }, ...opts.directory });
  const store = new MailStore({ clock, random, ...opts.store });
  const server = await new FakeImapServer({ store, directory, clock, ...limits(opts) }).start();
  const user = directory.user(directory.addressAt(0))!;
  return { clock, directory, store, server, user };
}

/** A raw IMAP conversation: send lines, read until a tagged reply. */
export async function rawSession(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  let received = '';
  const waiters: (() => void)[] = [];
  socket.on('data', (d) => {
    received += d.toString('latin1');
    for (const w of waiters.splice(0)) w();
  });
  socket.on('close', () => {
    for (const w of waiters.splice(0)) w();
  });
  const until = async (pattern: RegExp, ms = 10_000): Promise<string> => {
    const deadline = Date.now() + ms;
    while (!pattern.test(received)) {
      if (socket.destroyed || Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; got: ${received.slice(-500)}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
    const out = received;
    received = '';
    return out;
  };
  await until(/^\* OK .*\r\n/);
  return {
    socket,
    until,
    send: (text: string | Buffer) => socket.write(text),
    /** Sends one tagged command line and returns everything up to its tagged reply. */
    command: async (tag: string, line: string) => {
      socket.write(`${tag} ${line}\r\n`);
      return until(new RegExp(`(^|\\r\\n)${tag} (OK|NO|BAD)[^\\r]*\\r\\n`));
    },
    close: () => socket.destroy(),
  };
}

/** Only the limits a test set, so the server's own defaults apply to the rest. */
function limits(opts: { maxLineBytes?: number; maxCommandBytes?: number; idleTimeoutMs?: number }) {
  const { maxLineBytes, maxCommandBytes, idleTimeoutMs } = opts;
  return {
    ...(maxLineBytes !== undefined && { maxLineBytes }),
    ...(maxCommandBytes !== undefined && { maxCommandBytes }),
    ...(idleTimeoutMs !== undefined && { idleTimeoutMs }),
  };
}
