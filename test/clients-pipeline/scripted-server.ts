// A bare SMTP responder (PIPELINING advertised) that accepts every message until its
// `closeAfter`-th, then drops the connection as that message's data ends, without a reply.
// It counts exactly the messages it answered 250 to.
import net from 'node:net';

export interface ScriptedServer {
  port: number;
  /** ids answered 250 after their data */
  accepted: string[];
  connections: number;
  stop(): Promise<void>;
}

export async function startClosingServer(closeAfter: number): Promise<ScriptedServer> {
  const state: ScriptedServer = { port: 0, accepted: [], connections: 0, stop: async () => {} };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.write('220 scripted ESMTP\r\n');
    let buffer = '';
    let inData = false;
    let message = '';
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      let end: number;
      while (!socket.destroyed && (end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (inData) {
          if (line !== '.') {
            message += `${line}\n`;
            continue;
          }
          inData = false;
          if (state.accepted.length >= closeAfter) {
            socket.destroy(); // mid-pipeline: the next message's commands are already here
            return;
          }
          state.accepted.push(/^X-Mailstorm-Id: *(\S+)/im.exec(message)?.[1] ?? '');
          socket.write('250 2.0.0 queued\r\n');
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') socket.write('250-scripted\r\n250-PIPELINING\r\n250 8BITMIME\r\n');
        else if (verb === 'DATA') {
          inData = true;
          message = '';
          socket.write('354 go ahead\r\n');
        } else if (verb === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('250 ok\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  state.port = (server.address() as net.AddressInfo).port;
  state.stop = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return state;
}
