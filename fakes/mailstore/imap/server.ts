// The IMAP server over node:net: frames commands (literals across chunks), hands them to an
// ImapSession, and bounds per-connection memory. Two-step start like every fake.
import net from 'node:net';
import { listenTracked } from '../../listen.ts';
import type { Clock } from '../../../engine/clock.ts';
import type { DirectoryService } from '../../../directory/types.ts';
import type { MailStore } from '../mailstore.ts';
import { CommandFramer } from './framing.ts';
import { ImapSession } from './session.ts';
import type { TokenVerifier } from '../../../directory/oauth-tokens.ts';

export interface FakeImapServerOptions {
  store: MailStore;
  directory: DirectoryService;
  /** Accepted for symmetry with the other fakes; policy time comes from the directory's clock. */
  clock?: Clock;
  /** OAuth2 only: logins are AUTHENTICATE XOAUTH2 with the account's token. */
  tokens?: TokenVerifier;
  host?: string;
  port?: number;
  /** Longest command line outside literals; default 64 KiB (RFC 7162 asks clients for at most 8 KiB). */
  maxLineBytes?: number;
  /** Largest command with its literals (APPEND); default 50 MiB. */
  maxCommandBytes?: number;
  /** Largest line or command before login; default 4 KiB (Dovecot's login input buffer). */
  maxUnauthenticatedBytes?: number;
  /** Wall-clock ms of silence before the server says BYE; default 30 min (RFC 3501's autologout minimum). */
  idleTimeoutMs?: number;
}

export interface StartedImapServer extends AsyncDisposable {
  host: string;
  port: number;
  /** Open connections right now. */
  connections(): number;
  stop(): Promise<void>;
}

export class FakeImapServer {
  readonly #options: FakeImapServerOptions;

  constructor(options: FakeImapServerOptions) {
    this.#options = options;
  }

  async start(): Promise<StartedImapServer> {
    const options = this.#options;
    const server = net.createServer((socket) => serve(socket, options));
    const { host, port, stop, connections } = await listenTracked(server, 'IMAP server', options.host, options.port);
    return { host, port, stop, connections, [Symbol.asyncDispose]: stop };
  }
}

function serve(socket: net.Socket, options: FakeImapServerOptions): void {
  socket.setNoDelay(true);
  const write = (chunk: string | Buffer) => {
    if (!socket.destroyed && !socket.writableEnded) socket.write(chunk);
  };
  const drained = () =>
    socket.writableNeedDrain && !socket.destroyed
      ? new Promise<void>((resolve) => {
          const done = () => {
            socket.off('drain', done);
            socket.off('close', done);
            resolve();
          };
          socket.on('drain', done);
          socket.on('close', done);
        })
      : Promise.resolve();
  const session = new ImapSession({ store: options.store, directory: options.directory, ...(options.tokens && { tokens: options.tokens }), io: { write, drained, pause: () => socket.pause(), resume: () => socket.resume(), end: () => socket.end() } });
  const framer = new CommandFramer(
    {
      maxLineBytes: options.maxLineBytes ?? 64 * 1024,
      maxCommandBytes: options.maxCommandBytes ?? 50 * 1024 * 1024,
      maxUnauthenticatedBytes: options.maxUnauthenticatedBytes ?? 4 * 1024,
    },
    {
      authenticated: () => session.state !== 'not-authenticated',
      command: (bytes) => session.handle(bytes),
      continueLiteral: () => write('+ Ready for literal data\r\n'),
      refuse: (tag, reason) => write(`${tag} NO [TOOBIG] ${reason}\r\n`),
      fatal: (reason) => {
        write(`* BYE ${reason}\r\n`);
        socket.end();
      },
    },
  );
  socket.on('data', (chunk: Buffer) => {
    try {
      framer.push(chunk);
    } catch (error) {
      // A defect in command handling must cost this connection, never the server.
      framer.stop();
      write(`* BYE internal error: ${error instanceof Error ? error.message : 'unknown'}\r\n`);
      socket.end();
    }
  });
  socket.on('error', () => socket.destroy());
  socket.setTimeout(options.idleTimeoutMs ?? 30 * 60_000, () => {
    framer.stop();
    write('* BYE Autologout; idle for too long\r\n');
    socket.end();
  });
  session.greet();
}
