// Toxiproxy 2.x's HTTP API over a ProxyCollection: same routes, status codes, JSON shapes
// and error bodies ({"error": "...", "status": N}), so its clients cannot tell the difference.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PROXY_FIELDS, type ProxyCollection } from './proxy-collection.ts';
import { foldFields } from './json-fields.ts';
import { ApiError, badRequestBody } from './api-error.ts';

export const TOXIPROXY_VERSION = '2.12.0';

type Handler = (params: string[], body: () => Promise<unknown>) => Promise<{ status: number; json?: unknown }>;

export function apiRouter(proxies: ProxyCollection) {
  const routes: [string, RegExp, Handler][] = [
    ['POST', /^\/reset$/, async () => (await proxies.reset(), { status: 204 })],
    ['GET', /^\/proxies$/, async () => ({ status: 200, json: Object.fromEntries(proxies.all().map((p) => [p.name, p])) })],
    ['POST', /^\/proxies$/, async (_p, body) => ({ status: 201, json: await proxies.create(await body()) })],
    ['POST', /^\/populate$/, async (_p, body) => {
      const result = await proxies.populate(await body());
      return { status: result.error?.status ?? 201, json: { ...result.error?.toJSON(), proxies: result.proxies } };
    }],
    ['GET', /^\/proxies\/([^/]+)$/, async ([name]) => ({ status: 200, json: proxies.get(name!) })],
    ['POST|PATCH', /^\/proxies\/([^/]+)$/, async ([name], body) => {
      const proxy = proxies.get(name!);
      const input = await body();
      if (typeof input !== 'object' || input === null) throw badRequestBody('expected a JSON object');
      await proxy.update(foldFields(input as Record<string, unknown>, PROXY_FIELDS));
      return { status: 200, json: proxy };
    }],
    ['DELETE', /^\/proxies\/([^/]+)$/, async ([name]) => (await proxies.remove(name!), { status: 204 })],
    ['GET', /^\/proxies\/([^/]+)\/toxics$/, async ([name]) => ({ status: 200, json: proxies.get(name!).toxics.list() })],
    ['POST', /^\/proxies\/([^/]+)\/toxics$/, async ([name], body) => {
      const proxy = proxies.get(name!);
      return { status: 200, json: proxy.toxics.add(await body()) };
    }],
    ['GET', /^\/proxies\/([^/]+)\/toxics\/([^/]+)$/, async ([name, toxic]) => {
      const found = proxies.get(name!).toxics.get(toxic!);
      if (!found) throw new ApiError('toxic not found', 404);
      return { status: 200, json: found };
    }],
    ['POST|PATCH', /^\/proxies\/([^/]+)\/toxics\/([^/]+)$/, async ([name, toxic], body) => {
      const proxy = proxies.get(name!);
      return { status: 200, json: proxy.toxics.update(toxic!, await body()) };
    }],
    ['DELETE', /^\/proxies\/([^/]+)\/toxics\/([^/]+)$/, async ([name, toxic]) => (proxies.get(name!).toxics.remove(toxic!), { status: 204 })],
  ];

  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if ((request.headers['user-agent'] ?? '').startsWith('Mozilla/')) return text(response, 403, 'User agent not allowed\n');
    if (path === '/version' && request.method === 'GET') {
      response.writeHead(200, { 'Content-Type': 'application/json;charset=utf-8' });
      return void response.end(`{"version": "${TOXIPROXY_VERSION}"}\n`);
    }
    let pathMatched = false;
    for (const [methods, pattern, handler] of routes) {
      const match = pattern.exec(path);
      if (!match) continue;
      pathMatched = true;
      if (!methods.split('|').includes(request.method ?? '')) continue;
      try {
        const params = match.slice(1).map(decodePathPart);
        const { status, json } = await handler(params, () => readJson(request));
        if (json === undefined) return void response.writeHead(status).end();
        response.writeHead(status, { 'Content-Type': 'application/json' });
        return void response.end(JSON.stringify(json));
      } catch (error) {
        const apiError = error instanceof ApiError ? error : new ApiError(error instanceof Error ? error.message : String(error), 500);
        // Go's http.Error: text/plain content type, JSON text, trailing newline.
        return text(response, apiError.status, `${JSON.stringify(apiError)}\n`);
      }
    }
    if (pathMatched) return void response.writeHead(405).end();
    text(response, 404, '404 page not found\n');
  };
}

/** A malformed percent-encoding ("%zz") is the client's mistake: 400, as Go's router answers. */
function decodePathPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new ApiError(`invalid URL escape in path: "${part}"`, 400);
  }
}

function text(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
  response.end(body);
}

/** Reads the request body as JSON (bounded: 1 MB); an unreadable body is Toxiproxy's "bad request body". */
async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 1 << 20) throw badRequestBody('request body too large');
    chunks.push(chunk);
  }
  const raw = Buffer.concat(chunks).toString('utf8');
  if (raw.trim() === '') throw badRequestBody('EOF');
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw badRequestBody(error instanceof Error ? error.message : String(error));
  }
}
