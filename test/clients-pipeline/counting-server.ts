// A smtp-server receiver for the pipelining client's tests: counts connections and every
// message it answered 250 to (by X-Mailstorm-Id), and refuses what a test tells it to.
import { SMTPServer } from 'smtp-server';

export interface CountingServerOptions {
  /** Recipients refused at RCPT, with the reply code. */
  refuseRecipients?: Record<string, number>;
  /** Senders refused at MAIL FROM, with the reply code. */
  refuseSenders?: Record<string, number>;
  /** Messages whose id is listed are refused after their data, with the reply code. */
  refuseIds?: Record<string, number>;
  hidePipelining?: boolean;
  /** Greet every connection with 421 and close it (a broken MTA). */
  refuseConnections?: boolean;
}

export interface CountingServer {
  port: number;
  connections: number;
  /** id -> times accepted (250 after the data) */
  accepted: Map<string, number>;
  /** Raw message text of each accepted id. */
  bodies: Map<string, string>;
  /** Recipients of each accepted id, as the server saw them. */
  recipients: Map<string, string[]>;
  stop(): Promise<void>;
}

function refusal(message: string, code: number): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

export async function startCountingServer(options: CountingServerOptions = {}): Promise<CountingServer> {
  const state: CountingServer = { port: 0, connections: 0, accepted: new Map(), bodies: new Map(), recipients: new Map(), stop: async () => {} };
  const server = new SMTPServer({
    logger: false,
    disableReverseLookup: true,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    hidePIPELINING: options.hidePipelining ?? false,
    onConnect(_session, callback) {
      state.connections++;
      callback(options.refuseConnections ? refusal('service not available', 421) : undefined);
    },
    onMailFrom(address, _session, callback) {
      const code = options.refuseSenders?.[address.address];
      callback(code ? refusal(`sender ${address.address} refused`, code) : undefined);
    },
    onRcptTo(address, _session, callback) {
      const code = options.refuseRecipients?.[address.address];
      callback(code ? refusal(`recipient ${address.address} refused`, code) : undefined);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const text = Buffer.concat(chunks).toString('latin1');
        const id = /^X-Mailstorm-Id: *(\S+)/im.exec(text)?.[1] ?? '';
        const code = options.refuseIds?.[id];
        if (code) return callback(refusal(`message ${id} refused`, code));
        state.accepted.set(id, (state.accepted.get(id) ?? 0) + 1);
        state.bodies.set(id, text);
        state.recipients.set(id, session.envelope.rcptTo.map((r) => r.address));
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  state.port = typeof address === 'object' && address ? address.port : 0;
  state.stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}
