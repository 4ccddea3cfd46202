// A small HTTP server on the docker network's gateway address for the answers Dovecot asks
// the harness for (auth policy, token introspection): bodies read whole up to a limit, and
// stop() drops the connections Dovecot keeps alive so a run never waits on them.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

const MAX_BODY = 64 * 1024;

export type BodyHandler = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void;

export interface StartedHostHttpServer {
  host: string;
  port: number;
  stop(): Promise<void>;
}

export async function startHostHttpServer(host: string, port: number, onBody: BodyHandler): Promise<StartedHostHttpServer> {
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_BODY) req.destroy();
    });
    req.on('end', () => onBody(req, body, res));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    }));
  return { host, port: (server.address() as AddressInfo).port, stop };
}

export function replyJson(res: http.ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
