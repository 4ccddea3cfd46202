// The docker provider's part of --config (YAML mapping), validated with messages that name
// the field and what is allowed. `tls` and `auth` are parsed as the embedded stack's are (stack/common/).
import { InputError } from '../../engine/errors.ts';
import type { TlsMode } from '../../engine/endpoints.ts';
import { tlsModeOf } from '../common/tls.ts';
import { authModeOf, type StackAuthMode } from '../common/oauth.ts';
import { DEFAULT_RELEASE, RELEASES, type Release } from './releases.ts';

export interface DockerStackConfig {
  /** "missing" (default): build images only when absent; "always": rebuild (cached) first. */
  build: 'missing' | 'always';
  /** Debian release of the mail image: bookworm (default) or trixie, the pre-upgrade candidate. */
  release: Release;
  /** Debian archive for building the base image offline. */
  mirror?: string;
  /** "auto" (default): real Toxiproxy image when present locally; "real" or "fake" to force. */
  toxiproxy: 'auto' | 'real' | 'fake';
  /** Mail domain of the population. */
  domain?: string;
  /**
   * starttls: Postfix (25, 587) and Dovecot (143) require STARTTLS; implicit: submission on 465
   * and IMAP on 993, TLS from the first byte (25 keeps required STARTTLS); none (default): cleartext.
   */
  tls: TlsMode;
  /**
   * oauth2: Dovecot's oauth2 passdb checks tokens (SASL XOAUTH2, OAUTHBEARER) against mailstorm's
   * introspection endpoint, Postfix submission through Dovecot's SASL; passwords are refused.
   */
  auth: StackAuthMode;
}

const KEYS = ['build', 'release', 'mirror', 'toxiproxy', 'domain', 'tls', 'auth'];

export function dockerConfig(raw: Record<string, unknown> | undefined): DockerStackConfig {
  const c = raw ?? {};
  for (const key of Object.keys(c)) {
    if (!KEYS.includes(key)) throw new InputError(`docker stack config: unknown field "${key}"; allowed: ${KEYS.join(', ')}`);
  }
  const pick = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
    const value = c[key] ?? fallback;
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      throw new InputError(`docker stack config: ${key} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
    }
    return value as T;
  };
  const text = (key: string, pattern: RegExp, what: string): string | undefined => {
    const value = c[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !pattern.test(value)) throw new InputError(`docker stack config: ${key} must be ${what}, got ${JSON.stringify(value)}`);
    return value;
  };
  const mirror = text('mirror', /^(https?|file):\/\/\S+$/, 'an http(s):// or file:// URL');
  const domain = text('domain', /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i, 'a domain name such as nhs.test');
  return {
    build: pick('build', ['missing', 'always'] as const, 'missing'),
    release: pick('release', RELEASES, DEFAULT_RELEASE),
    toxiproxy: pick('toxiproxy', ['auto', 'real', 'fake'] as const, 'auto'),
    tls: tlsModeOf(c, 'docker stack config'),
    auth: authModeOf(c, 'docker stack config'),
    ...(mirror !== undefined && { mirror }),
    ...(domain !== undefined && { domain }),
  };
}
