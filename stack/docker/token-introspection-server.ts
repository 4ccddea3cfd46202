// mailstorm's OAuth2 token introspection endpoint (RFC 7662) for Dovecot's oauth2 passdb
// (docker config auth: oauth2): an HTTP server on the docker network's gateway address that
// answers, for a token Dovecot was given, whether it is an account's current token and whose.
// The directory's OAuthTokens stand in for the platform's identity provider.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { OAuthTokens } from '../../directory/index.ts';

export interface IntrospectionServerOptions {
  tokens: OAuthTokens;
  /** Address the containers can reach (the network gateway); default 127.0.0.1. */
  host?: string;
}

export interface StartedIntrospectionServer extends AsyncDisposable {
  /** Dovecot's introspection_url. */
  url: string;
  stop(): Promise<void>;
}

const MAX_BODY = 64 * 1024;

/** Dovecot posts `token=<token>` (introspection_mode = post); a Bearer header (mode auth) is read too. */
export class TokenIntrospectionServer {
  constructor(private readonly options: IntrospectionServerOptions) {}

  start(): Promise<StartedIntrospectionServer> {
    return listen(this.options.tokens, this.options.host ?? '127.0.0.1');
  }
}

async function listen(tokens: OAuthTokens, host: string): Promise<StartedIntrospectionServer> {
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_BODY) req.destroy();
    });
    req.on('end', () => {
      const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
      const token = new URLSearchParams(body).get('token') ?? bearer ?? '';
      const owner = token === '' ? undefined : tokens.ownerOf(token);
      res.writeHead(200, { 'content-type': 'application/json' });
      // an unknown or replaced token is inactive, as RFC 7662 answers it (no reason given)
      res.end(JSON.stringify(owner === undefined ? { active: false } : { active: true, username: owner, token_type: 'Bearer' }));
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy(); // Dovecot keeps its HTTP connections alive
    }));
  return { url: `http://${host}:${port}/introspect`, stop, [Symbol.asyncDispose]: stop };
}
