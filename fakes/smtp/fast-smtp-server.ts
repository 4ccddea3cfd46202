// smtp-server waits a hard-coded 100 ms before every greeting to catch "early talkers"
// (SMTPConnection.init() arms setTimeout(connectionReady, 100)). A fake that must take
// thousands of connections a second cannot pay that, so this subclass greets at once:
// after the library has set the connection up (and armed its timer, which is unref'd),
// it runs connectionReady() immediately and turns the later timer call into a no-op.
// Reverse DNS, the other per-connection cost, is off via disableReverseLookup.
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

interface ConnectionInternals {
  connectionReady(next?: () => void): void;
  _closed?: boolean;
}

interface ServerInternals {
  connections: Set<ConnectionInternals>;
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

  // smtp-server calls this.connect() for every accepted socket; init() runs inside it.
  override connect(socket: Parameters<SMTPServer['connect']>[0], socketOptions?: Parameters<SMTPServer['connect']>[1]): void {
    const connections = (this as unknown as ServerInternals).connections;
    const before = connections.size;
    super.connect(socket, socketOptions);
    // TLS sessions arm the timer only after the handshake, and a refused client (maxClients) never:
    // both keep the library's own timing.
    const o = this.options as SMTPServerOptions & { needsUpgrade?: boolean };
    if (o.secure || o.needsUpgrade || (o.maxClients && connections.size > o.maxClients)) return;
    if (connections.size === before) return;
    let connection: ConnectionInternals | undefined;
    for (const c of connections) connection = c; // a Set iterates in insertion order: the last is the new one
    if (!connection || connection._closed) return;
    const ready = connection.connectionReady.bind(connection);
    connection.connectionReady = () => {};
    ready();
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
