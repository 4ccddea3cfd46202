// Small real TCP peers for the fault-proxy tests: an echo server, a banner server, and a
// client that collects what it receives.
import net from 'node:net';

export interface Peer extends AsyncDisposable {
  port: number;
  address: string;
  stop(): Promise<void>;
}

async function listen(server: net.Server): Promise<Peer> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const stop = async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { port, address: `127.0.0.1:${port}`, stop, [Symbol.asyncDispose]: stop };
}

export function echoServer(): Promise<Peer> {
  return listen(net.createServer((s) => s.pipe(s)));
}

/** Writes `banner` on connect, then sends `bulk` bytes if asked ("SEND n\r\n"), echoes other lines. */
export function bannerServer(banner = '220 test.local ESMTP ready\r\n'): Promise<Peer> {
  return listen(net.createServer((s) => {
    s.write(banner);
    s.on('data', (d) => {
      const m = /^SEND (\d+)/.exec(d.toString());
      if (m) s.end(Buffer.alloc(Number(m[1]), 0x61));
      else if (d.toString().startsWith('QUIT')) s.end('221 bye\r\n');
      else s.write(d);
    });
  }));
}

export interface Received {
  socket: net.Socket;
  data(): Buffer;
  /** Resolves with all bytes once the connection closed; `error` holds its error code if any. */
  closed: Promise<{ data: Buffer; error?: string }>;
  waitFor(bytes: number, timeoutMs?: number): Promise<Buffer>;
}

export function connect(port: number, send?: string | Buffer): Received {
  const socket = net.connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  let waiters: (() => void)[] = [];
  let errorCode: string | undefined;
  socket.on('data', (d) => {
    chunks.push(d);
    for (const w of waiters) w();
  });
  socket.on('error', (e: NodeJS.ErrnoException) => (errorCode = e.code ?? e.message));
  const closed = new Promise<{ data: Buffer; error?: string }>((resolve) =>
    socket.once('close', () => {
      for (const w of waiters) w();
      resolve({ data: Buffer.concat(chunks), ...(errorCode ? { error: errorCode } : {}) });
    }));
  if (send !== undefined) socket.write(send);
  const data = () => Buffer.concat(chunks);
  return {
    socket,
    data,
    closed,
    waitFor: (bytes, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${bytes} bytes, got ${data().length}`)), timeoutMs);
        const check = () => {
          if (data().length >= bytes || socket.destroyed) {
            clearTimeout(timer);
            waiters = waiters.filter((w) => w !== check);
            resolve(data());
          }
        };
        waiters.push(check);
        check();
      }),
  };
}

/** Resolves true if a TCP connect to the port is refused. */
export function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(false)));
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
  });
}
