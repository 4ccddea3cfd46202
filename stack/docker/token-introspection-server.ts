// mailstorm's OAuth2 token introspection endpoint (RFC 7662) for Dovecot's oauth2 passdb
// (docker config auth: oauth2): an HTTP server on the docker network's gateway address that
// answers, for a token Dovecot was given, whether it is an account's current token and whose.
// The directory's OAuthTokens stand in for the platform's identity provider.
import type { OAuthTokens } from '../../directory/index.ts';
import { replyJson, startHostHttpServer } from './host-http-server.ts';

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

/** Dovecot posts `token=<token>` (introspection_mode = post); a Bearer header (mode auth) is read too. */
export class TokenIntrospectionServer {
  constructor(private readonly options: IntrospectionServerOptions) {}

  start(): Promise<StartedIntrospectionServer> {
    return listen(this.options.tokens, this.options.host ?? '127.0.0.1');
  }
}

async function listen(tokens: OAuthTokens, host: string): Promise<StartedIntrospectionServer> {
  const server = await startHostHttpServer(host, 0, (req, body, res) => {
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const token = new URLSearchParams(body).get('token') ?? bearer ?? '';
    const owner = token === '' ? undefined : tokens.ownerOf(token);
    // an unknown or replaced token is inactive, as RFC 7662 answers it (no reason given)
    replyJson(res, 200, owner === undefined ? { active: false } : { active: true, username: owner, token_type: 'Bearer' });
  });
  return { url: `http://${host}:${server.port}/introspect`, stop: server.stop, [Symbol.asyncDispose]: server.stop };
}
