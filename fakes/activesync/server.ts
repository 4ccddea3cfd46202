// An ActiveSync-style HTTP endpoint (node:http): mobile devices' Ping/Sync/FolderSync loops,
// authenticated with Basic auth against the directory, the DeviceId attributing each attempt.
//
// Answers: 200 on success; 401 (with WWW-Authenticate) on a bad password, an unknown user or a
// password that must be changed; 403 with `X-MS-ASThrottle: AccountLocked` (and Retry-After
// when the lockout has an end) while the account is locked; 400 for a malformed request; 404
// for other paths; 405 for other methods; 413 for a body over the limit.
// With OAuth2 on (`tokens`), only `Authorization: Bearer <the account's token>` is accepted:
// a wrong token is 401 with `WWW-Authenticate: Bearer error="invalid_token"`, Basic is 401 too.
// 403 rather than 423: 423 is WebDAV's "resource locked", not an account state, and the
// X-MS-ASThrottle header is how Exchange tells a device to back off. Every refusal carries
// `X-Mailstorm-Auth: <reason>` so a replay can count reasons without parsing bodies.
// Bodies are small JSON, not WBXML: the fake models authentication, not synchronisation.
import http from 'node:http';
import https from 'node:https';
import { listenTracked } from '../listen.ts';
import type { FakeTlsOptions } from '../tls/options.ts';
import type { AuthLocation, DirectoryService } from '../../directory/types.ts';
import { parseRequest, type ActiveSyncRequest } from './request.ts';
import type { TokenVerifier } from '../../directory/oauth-tokens.ts';

export interface FakeActiveSyncOptions {
  directory: DirectoryService;
  host?: string;
  port?: number;
  /** Largest request body read; default 1 MiB. */
  maxBodyBytes?: number;
  /** Serve HTTPS with this certificate (any mode: HTTPS has no STARTTLS); default plain HTTP. */
  tls?: FakeTlsOptions;
  /** OAuth2 only: requests carry the account's token as Bearer; Basic is refused. */
  tokens?: TokenVerifier;
}

export interface StartedActiveSync extends AsyncDisposable {
  host: string;
  port: number;
  /** Base URL, e.g. http://127.0.0.1:4567 (https:// with TLS) */
  url: string;
  stop(): Promise<void>;
}

export class FakeActiveSync {
  readonly #options: FakeActiveSyncOptions;

  constructor(options: FakeActiveSyncOptions) {
    this.#options = options;
  }

  async start(): Promise<StartedActiveSync> {
    const options = this.#options;
    const listener = (req: http.IncomingMessage, res: http.ServerResponse) => handle(req, res, options);
    const server = options.tls ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, listener) : http.createServer(listener);
    server.on('clientError', (_error, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      else socket.destroy();
    });
    const { host, port, stop } = await listenTracked(server, 'ActiveSync endpoint', options.host, options.port);
    return { host, port, url: `${options.tls ? 'https' : 'http'}://${host}:${port}`, stop, [Symbol.asyncDispose]: stop };
  }
}

function reply(res: http.ServerResponse, status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function handle(req: http.IncomingMessage, res: http.ServerResponse, options: FakeActiveSyncOptions): void {
  const limit = options.maxBodyBytes ?? 1024 * 1024;
  let size = 0;
  let refused = false;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit && !refused) {
      refused = true;
      reply(res, 413, { error: `request body over ${limit} bytes` }, { Connection: 'close' });
      req.destroy();
    }
  });
  req.on('error', () => res.destroy());
  req.on('end', () => {
    if (refused) return;
    const parsed = parseRequest(req.method, req.url, req.headers.authorization);
    if (!parsed.ok) {
      const headers: Record<string, string> = { 'X-Mailstorm-Auth': parsed.status === 401 ? 'missing-credentials' : 'malformed' };
      if (parsed.status === 401) headers['WWW-Authenticate'] = 'Basic realm="mailstorm"';
      if (parsed.status === 405) headers['Allow'] = 'POST';
      return reply(res, parsed.status, { error: parsed.message }, headers);
    }
    const { request } = parsed;
    if (options.tokens || request.bearer !== undefined) return bearer(res, request, options);
    const location: AuthLocation = req.headers['x-mailstorm-location'] === 'unfamiliar' ? 'unfamiliar' : 'familiar';
    const result = options.directory.authenticate(request.user, request.password, { kind: 'device', deviceId: request.deviceId }, location);
    if (result.ok) return reply(res, 200, { status: 1, cmd: request.cmd, user: request.user, deviceId: request.deviceId });
    if (result.reason === 'locked') {
      const headers: Record<string, string> = { 'X-MS-ASThrottle': 'AccountLocked', 'X-Mailstorm-Auth': 'locked' };
      if (result.retryAfterMs !== undefined) headers['Retry-After'] = String(Math.ceil(result.retryAfterMs / 1000));
      return reply(res, 403, { error: 'account locked' }, headers);
    }
    reply(res, 401, { error: result.reason }, { 'WWW-Authenticate': 'Basic realm="mailstorm"', 'X-Mailstorm-Auth': result.reason });
  });
}

/** OAuth2: the query's User must present their current token. */
function bearer(res: http.ServerResponse, request: ActiveSyncRequest, options: FakeActiveSyncOptions): void {
  const ok = request.bearer !== undefined && options.tokens?.verify(request.user, request.bearer) === true && options.directory.exists(request.user);
  if (ok) return reply(res, 200, { status: 1, cmd: request.cmd, user: request.user, deviceId: request.deviceId });
  const reason = !options.tokens ? 'oauth2-off' : request.bearer === undefined ? 'basic-disabled' : 'bad-token';
  reply(res, 401, { error: reason }, { 'WWW-Authenticate': 'Bearer error="invalid_token"', 'X-Mailstorm-Auth': reason });
}
