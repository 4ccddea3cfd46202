// mailstorm's answer to Dovecot's auth policy hook (auth_policy_server_url): an HTTP server on
// the docker network's gateway address that asks the directory about every login.
import type { DirectoryService } from '../../directory/types.ts';
import type { MetricsSink } from '../../engine/metrics/types.ts';
import { decidePolicy, type PolicyRequest } from './auth-policy-decision.ts';
import { declareAll } from '../../engine/metrics/declare.ts';
import { replyJson, startHostHttpServer } from './host-http-server.ts';

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

export class AuthPolicyServer {
  constructor(private readonly options: AuthPolicyServerOptions) {
    if (options.metrics) declareAll(options.metrics, { 'auth_policy.requests': { kind: 'counter', unit: 'count', label: "Dovecot's policy requests", topic: 'throughput', worse: 'lower' } });
  }

  async start(): Promise<StartedAuthPolicyServer> {
    const { directory, metrics } = this.options;
    const server = await startHostHttpServer(this.options.host ?? '127.0.0.1', this.options.port ?? 0, (req, body, res) => {
      const command = new URL(req.url ?? '/', 'http://policy').searchParams.get('command');
      // Only "allow" decides; "report" (after auth) is acknowledged and not counted twice.
      if (req.method !== 'POST' || command !== 'allow') return replyJson(res, 200, { status: 0, msg: '' });
      let request: PolicyRequest;
      try {
        request = JSON.parse(body) as PolicyRequest;
      } catch {
        return replyJson(res, 400, { status: -1, msg: 'malformed policy request' });
      }
      const answer = decidePolicy(directory, request);
      metrics?.count('auth_policy.requests', 1, { outcome: answer.outcome });
      replyJson(res, 200, { status: answer.status, msg: answer.msg });
    });
    const { host, port, stop } = server;
    return { host, port, url: `http://${host}:${port}/`, stop, [Symbol.asyncDispose]: stop };
  }
}
