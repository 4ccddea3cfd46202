// Turns a Dovecot auth policy request into mailstorm's directory decision. No sockets: the
// HTTP server only parses and answers. Dovecot's protocol: POST ?command=allow with the
// attributes configured in auth_policy_request_attributes; the answer {"status": n, "msg": s}
// means 0 = go on, -1 = reject, n > 0 = delay n seconds then go on.
import type { AuthSource, DirectoryService } from '../../directory/types.ts';

export interface PolicyRequest {
  login?: string;
  user?: string;
  password?: string;
  remote?: string;
  device_id?: string;
  protocol?: string;
}

export interface PolicyAnswer {
  status: number;
  msg: string;
}

/** What the directory said, for counters. */
export type PolicyOutcome = 'ok' | 'bad-password' | 'locked' | 'unknown-user' | 'must-change-password' | 'malformed';

export function decidePolicy(directory: DirectoryService, request: PolicyRequest): PolicyAnswer & { outcome: PolicyOutcome } {
  const address = (request.login || request.user || '').trim();
  if (address === '' || typeof request.password !== 'string') {
    return { status: -1, msg: 'Authentication failed', outcome: 'malformed' };
  }
  const result = directory.authenticate(address, request.password, sourceOf(directory, address, request.device_id));
  if (result.ok) return { status: 0, msg: '', outcome: 'ok' };
  switch (result.reason) {
    case 'locked':
      return { status: -1, msg: 'Account locked', outcome: 'locked' };
    case 'must-change-password':
      return { status: -1, msg: 'Password change required', outcome: 'must-change-password' };
    default:
      return { status: -1, msg: 'Authentication failed', outcome: result.reason };
  }
}

// A login names a device only when the client sent an id the directory knows for that user
// (IMAP ID); anything else is the user at a keyboard, as on the embedded stack's IMAP.
function sourceOf(directory: DirectoryService, address: string, deviceId: string | undefined): AuthSource {
  if (deviceId && directory.user(address)?.devices.some((d) => d.id === deviceId)) return { kind: 'device', deviceId };
  return { kind: 'user' };
}
