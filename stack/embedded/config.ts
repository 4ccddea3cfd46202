// The embedded stack's part of --config: `tls`, how its fakes offer TLS (none by default), and
// `auth: oauth2`, which makes them behave as a platform that moved to OAuth2 (XOAUTH2 on
// submission and IMAP, Bearer on ActiveSync, passwords refused), its directory issuing each
// account a token. Anything else in the file is refused.
import { InputError } from '../../engine/errors.ts';
import type { TlsMode } from '../../engine/endpoints.ts';
import { tlsModeOf } from '../common/tls.ts';
import { authModeOf } from '../common/oauth.ts';

export interface EmbeddedStackConfig {
  /** starttls: SMTP and IMAP require STARTTLS; implicit: TLS from the first byte; both serve ActiveSync over https. */
  tls: TlsMode;
  auth: 'password' | 'oauth2';
}

const KEYS = ['tls', 'auth'];

export function embeddedConfig(raw: Record<string, unknown> | undefined, where = '--config'): EmbeddedStackConfig {
  const c = raw ?? {};
  for (const key of Object.keys(c)) {
    if (!KEYS.includes(key)) throw new InputError(`${where}: embedded stack config: unknown field "${key}"; allowed: ${KEYS.join(', ')}`);
  }
  const tls = tlsModeOf(c, `${where}: embedded stack config`);
  const auth = authModeOf(c, `${where}: embedded stack config`);
  return { tls, auth };
}
