// Validates an ActiveSync-style request (path, method, query, Basic or Bearer auth) without any I/O,
// so the rules can be read (and tested) apart from the HTTP wiring.

export const ACTIVESYNC_PATH = '/Microsoft-Server-ActiveSync';
export const COMMANDS = ['Ping', 'Sync', 'FolderSync'] as const;
export type ActiveSyncCommand = (typeof COMMANDS)[number];

export interface ActiveSyncRequest {
  cmd: ActiveSyncCommand;
  user: string;
  /** Basic auth's password ('' with a Bearer token). */
  password: string;
  /** An OAuth2 access token (Authorization: Bearer); the user is the query's User. */
  bearer?: string;
  deviceId: string;
  deviceType: string;
}

export type Parsed =
  | { ok: true; request: ActiveSyncRequest }
  | { ok: false; status: 400 | 401 | 404 | 405; message: string };

export function parseRequest(method: string | undefined, url: string | undefined, authorization: string | undefined): Parsed {
  let parsed: URL;
  try {
    parsed = new URL(url ?? '', 'http://activesync.invalid');
  } catch {
    return { ok: false, status: 400, message: 'malformed request line' };
  }
  if (parsed.pathname !== ACTIVESYNC_PATH) return { ok: false, status: 404, message: `no such path; use ${ACTIVESYNC_PATH}` };
  if (method !== 'POST') return { ok: false, status: 405, message: 'only POST is supported' };
  const q = parsed.searchParams;
  const cmd = q.get('Cmd');
  if (!cmd || !(COMMANDS as readonly string[]).includes(cmd)) return { ok: false, status: 400, message: `Cmd must be one of ${COMMANDS.join(', ')}` };
  for (const field of ['User', 'DeviceId', 'DeviceType']) {
    const value = q.get(field);
    if (!value || value.length > 256) return { ok: false, status: 400, message: `${field} is required (at most 256 characters)` };
  }
  if (!authorization) return { ok: false, status: 401, message: 'Basic authentication required' };
  const bearer = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(authorization.trim());
  if (bearer) return { ok: true, request: { cmd: cmd as ActiveSyncCommand, user: q.get('User') ?? '', password: '', bearer: bearer[1] ?? '', deviceId: q.get('DeviceId') ?? '', deviceType: q.get('DeviceType') ?? '' } };
  const m = /^Basic ([A-Za-z0-9+/]+={0,2})$/i.exec(authorization.trim());
  if (!m) return { ok: false, status: 400, message: 'Authorization must be Basic with base64 credentials or Bearer with a token' };
  const decoded = Buffer.from(m[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return { ok: false, status: 400, message: 'Basic credentials must be user:password' };
  return {
    ok: true,
    request: {
      cmd: cmd as ActiveSyncCommand,
      user: decoded.slice(0, colon),
      password: decoded.slice(colon + 1),
      deviceId: q.get('DeviceId') ?? '',
      deviceType: q.get('DeviceType') ?? '',
    },
  };
}
