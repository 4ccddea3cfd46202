// Listening for the fakes built on node's net/http servers: bind on loopback, track open
// sockets, and stop by closing the server AND cutting live connections (a keep-alive or idle
// client would otherwise hold stop() open).
import type net from 'node:net';
import { StackError } from '../engine/errors.ts';

export interface Listening {
  host: string;
  port: number;
  /** Open connections right now. */
  connections(): number;
  /** Idempotent. */
  stop(): Promise<void>;
}

export async function listenTracked(server: net.Server, what: string, host = '127.0.0.1', port = 0): Promise<Listening> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new StackError(`${what} could not listen on ${host}:${port}: ${error.message}`)));
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as net.AddressInfo).port;
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
    return stopped;
  };
  return { host, port: bound, connections: () => sockets.size, stop };
}
