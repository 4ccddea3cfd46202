// The IMAP server over node:net: frames commands (literals across chunks), hands them to an
// ImapSession, and bounds per-connection memory. Two-step start like every fake. With TLS it
// offers STARTTLS (and refuses logins before it) or speaks TLS from the first byte (993).
import net from 'node:net';
import tls from 'node:tls';
import { listenTracked } from '../../listen.ts';
import type { FakeTlsOptions } from '../../tls/options.ts';
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
  /** STARTTLS or implicit TLS with this certificate; default cleartext. */
  tls?: FakeTlsOptions;
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
    const tlsOptions = options.tls;
    const context = tlsOptions?.mode === 'starttls' ? tls.createSecureContext({ key: tlsOptions.key, cert: tlsOptions.cert }) : undefined;
    const server = tlsOptions?.mode === 'implicit'
      ? tls.createServer({ key: tlsOptions.key, cert: tlsOptions.cert }, (socket) => serve(socket, options, undefined))
      : net.createServer((socket) => serve(socket, options, context));
    // A client that gives up during the handshake costs only its own connection.
    server.on('tlsClientError', (_error: Error, socket: net.Socket) => socket.destroy());
    const { host, port, stop, connections } = await listenTracked(server, 'IMAP server', options.host, options.port);
    return { host, port, stop, connections, [Symbol.asyncDispose]: stop };
  }
}

/** `starttls`: the context a STARTTLS upgrades the connection with. */
function serve(raw: net.Socket, options: FakeImapServerOptions, starttls: tls.SecureContext | undefined): void {
  raw.setNoDelay(true);
  // Replaced by the TLS socket on STARTTLS; every closure below reads the current one.
  let socket: net.Socket = raw;
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
  const startTls = () => {
    // Whatever the client sent in clear behind STARTTLS is dropped, never run as if encrypted.
    framer.stop();
    framer = makeFramer();
    socket.off('data', onData);
    const secure = new tls.TLSSocket(socket, { isServer: true, secureContext: starttls! });
    secure.on('error', () => secure.destroy());
    socket = secure;
    secure.on('data', onData);
  };
  const session = new ImapSession({
    store: options.store,
    directory: options.directory,
    ...(options.tls && { tls: options.tls.mode }),
    ...(options.tokens && { tokens: options.tokens }),
    io: { write, drained, pause: () => socket.pause(), resume: () => socket.resume(), end: () => socket.end(), ...(starttls && { startTls }) },
  });
  const makeFramer = () => new CommandFramer(
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
  let framer = makeFramer();
  function onData(chunk: Buffer): void {
    try {
      framer.push(chunk);
    } catch (error) {
      // A defect in command handling must cost this connection, never the server.
      framer.stop();
      write(`* BYE internal error: ${error instanceof Error ? error.message : 'unknown'}\r\n`);
      socket.end();
    }
  }
  socket.on('data', onData);
  socket.on('error', () => socket.destroy());
  socket.setTimeout(options.idleTimeoutMs ?? 30 * 60_000, () => {
    framer.stop();
    write('* BYE Autologout; idle for too long\r\n');
    socket.end();
  });
  session.greet();
}
