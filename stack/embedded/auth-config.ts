// --config for the embedded stack: `auth: oauth2` makes its fakes behave as a platform that
// moved to OAuth2 (XOAUTH2 on submission and IMAP, Bearer on ActiveSync, passwords refused),
// with its directory issuing each account a token. Anything else in the file is refused.
import { InputError } from '../../engine/errors.ts';

export interface EmbeddedConfig {
  auth?: 'password' | 'oauth2';
}

export function parseEmbeddedConfig(value: Record<string, unknown> | undefined, where = '--config'): EmbeddedConfig {
  if (value === undefined) return {};
  const unknown = Object.keys(value).filter((k) => k !== 'auth');
  if (unknown.length) throw new InputError(`${where}: ${unknown.join(', ')}: not a key of the embedded stack's config (allowed: auth)`);
  const auth = value['auth'];
  if (auth !== undefined && auth !== 'password' && auth !== 'oauth2') throw new InputError(`${where}: auth: give password or oauth2, got ${JSON.stringify(auth)}`);
  return auth === undefined ? {} : { auth };
}
