// mailstorm's answer to Dovecot's auth policy hook (auth_policy_server_url): an HTTP server on
// the docker network's gateway address that asks the directory about every login.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { DirectoryService } from '../../directory/types.ts';
import type { MetricsSink } from '../../engine/metrics/types.ts';
import { decidePolicy, type PolicyRequest } from './auth-policy-decision.ts';
import { declareAll } from '../../engine/metrics/declare.ts';

export interface AuthPolicyServerOptions {
  directory: DirectoryService;
  /** Address the containers can reach (the network gateway); default 127.0.0.1. */
  host?: string;
  port?: number;
  metrics?: MetricsSink;
}

export interface StartedAuthPolicyServer extends AsyncDisposable {
  host: string;
  port: number;
  /** Value for Dovecot's auth_policy_server_url. */
  url: string;
  stop(): Promise<void>;
}

const MAX_BODY = 64 * 1024;

export class AuthPolicyServer {
  constructor(private readonly options: AuthPolicyServerOptions) {
    if (options.metrics) declareAll(options.metrics, { 'auth_policy.requests': { kind: 'counter', unit: 'count', label: "Dovecot's policy requests", topic: 'throughput', worse: 'lower' } });
  }

  async start(): Promise<StartedAuthPolicyServer> {
    const { directory, metrics } = this.options;
    const sockets = new Set<Socket>();
    const server = http.createServer((req, res) => {
      const command = new URL(req.url ?? '/', 'http://policy').searchParams.get('command');
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        body += chunk;
        if (body.length > MAX_BODY) req.destroy();
      });
      req.on('end', () => {
        // Only "allow" decides; "report" (after auth) is acknowledged and not counted twice.
        if (req.method !== 'POST' || command !== 'allow') return reply(res, 200, { status: 0, msg: '' });
        let request: PolicyRequest;
        try {
          request = JSON.parse(body) as PolicyRequest;
        } catch {
          return reply(res, 400, { status: -1, msg: 'malformed policy request' });
        }
        const answer = decidePolicy(directory, request);
        metrics?.count('auth_policy.requests', 1, { outcome: answer.outcome });
        reply(res, 200, { status: answer.status, msg: answer.msg });
      });
    });
    server.on('connection', (s) => {
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
    });
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, host, () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy(); // Dovecot keeps policy connections alive
      }));
    return { host, port, url: `http://${host}:${port}/`, stop, [Symbol.asyncDispose]: stop };
  }
}

function reply(res: http.ServerResponse, code: number, body: { status: number; msg: string }): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
