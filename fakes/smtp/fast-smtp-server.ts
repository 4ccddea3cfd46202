// smtp-server with the per-connection costs a fake taking thousands of one-message
// connections a second cannot pay, on cleartext sessions (TLS keeps the library's ways):
// - the greeting waits a hard-coded 100 ms to catch "early talkers" (init() arms
//   setTimeout(connectionReady, 100)): greeted at once instead;
// - after QUIT the library half-closes (end()) and keeps reading until the client closes or
//   a timer fires; clients that close with a reset (smtp-source's SO_LINGER 0) then cost a
//   read error, whose stack trace Node formats (through source maps under tsx): about a
//   twentieth of a one-message connection. As RFC 5321 4.1.1.10 says, the server closes
//   the channel once 221 is out, so the client's reset meets a closed socket;
// - reverse DNS is off (disableReverseLookup), and session ids come from a counter.
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';

interface ServerInternals {
  connections: Set<SMTPConnection>;
  _onError(error: Error): void;
  _onClientConnect(data: unknown): void;
}

interface ConnectionInternals {
  _closing: boolean;
  _parser: { isClosed: boolean } | false;
  _upgrading: boolean;
  _server: ServerInternals & { options: SMTPServerOptions };
}

class FastSmtpConnection extends SMTPConnection {
  override init(): void {
    // TLS sessions (implicit, or STARTTLS-only ports) keep the library's own timing.
    if (this.secure || this.needsUpgrade) return super.init();
    this._setListeners(() => {
      const server = (this as unknown as ConnectionInternals)._server;
      const max = server.options.maxClients;
      // A refused client (maxClients) gets the library's answer, at once as it would.
      if (max && server.connections.size > max) return this.send(421, `${this.name} Too many connected clients, try again in a moment`, false);
      this.connectionReady();
    });
  }

  override handler_QUIT(command: Buffer, callback: () => void): void {
    const socket = this._socket;
    const self = this as unknown as ConnectionInternals;
    // Only a plain socket whose 221 went straight to the kernel (nothing left buffered in
    // Node) is closed at once: close() sends what the kernel holds, then FIN.
    if (this.secure || self._upgrading || socket.destroyed || 'encrypted' in socket) return super.handler_QUIT(command, callback);
    this.send(221, 'Bye');
    if (socket.writableLength > 0) {
      this.close();
      return callback();
    }
    self._closing = true;
    // As the library's close(): nothing pipelined after QUIT is run.
    if (self._parser) self._parser.isClosed = true;
    self._server.connections.delete(this);
    socket.destroy(); // 'close' runs the library's _onClose (timers, onClose handler)
    callback();
  }
}

export class FastSmtpServer extends SMTPServer {
  constructor(options: SMTPServerOptions) {
    super({ disableReverseLookup: true, ...options });
    // smtp-server re-emits every connection's socket error (EPIPE, ECONNRESET from a client
    // that vanished) on the server; unheard, that would crash the process and every other
    // session with it. A dropped client is normal under load and chaos, so it is ignored here;
    // listen() still hears bind errors through its own listener.
    this.on('error', () => {});
  }

  #sessions = 0;

  // smtp-server gives every accepted socket a random session id (crypto.randomBytes, where a
  // unique one is all its logs and session.id need) and calls connect() one setImmediate later:
  // about a seventh of the cost of a one-message connection. Without the PROXY protocol or ignored hosts (which need the
  // library's reading of the socket), a counter id and a direct call do the same job.
  override _handleProxy(...[socket, callback]: Parameters<SMTPServer['_handleProxy']>): void {
    const o = this.options;
    if (o.useProxy || (o.ignoredHosts && o.ignoredHosts.length > 0)) return super._handleProxy(socket, callback);
    callback(null, { id: (++this.#sessions).toString(32).padStart(16, '0') });
  }

  // The library's connect(), with the connection class above.
  override connect(socket: Parameters<SMTPServer['connect']>[0], socketOptions?: Parameters<SMTPServer['connect']>[1]): void {
    const server = this as unknown as ServerInternals;
    const connection = new FastSmtpConnection(this, socket, socketOptions);
    server.connections.add(connection);
    connection.on('error', (error: Error) => server._onError(error));
    connection.on('connect', (data: unknown) => server._onClientConnect(data));
    connection.init();
  }
}

/** Starts listening on host:port (0 = any free port) and resolves with the bound port. */
export function listen(server: SMTPServer, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/** Closes the server and, after a grace period, any connection still open. */
export function close(server: SMTPServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
