// `auth: oauth2` of the stacks mailstorm starts itself (embedded, docker): the config key, and
// the ClientAuth with which mailstorm's own clients take each account's token straight from
// the directory's OAuthTokens (standing in for the platform's identity provider).
import { InputError } from '../../engine/errors.ts';
import { AccountAuth } from '../../engine/clients/auth/index.ts';
import type { OAuthTokens } from '../../directory/index.ts';

export type StackAuthMode = 'password' | 'oauth2';
const AUTH: readonly StackAuthMode[] = ['password', 'oauth2'];

/** The config's `auth` (default password), or an InputError naming the key and the allowed values. */
export function authModeOf(c: Record<string, unknown>, where: string): StackAuthMode {
  const auth = c['auth'] ?? 'password';
  if (typeof auth !== 'string' || !(AUTH as readonly string[]).includes(auth)) {
    throw new InputError(`${where}: auth must be one of ${AUTH.join(', ')}, got ${JSON.stringify(auth)}`);
  }
  return auth as StackAuthMode;
}

/** Clients log every account in with its current token from the directory. */
export function directoryTokenAuth(tokens: OAuthTokens, what: string): AccountAuth {
  return new AccountAuth({
    summary: `oauth2, a token per account from the ${what} directory`,
    tokenOf: (user) => ({ token: async () => tokens.tokenFor(user), refresh: async () => tokens.tokenFor(user) }),
  });
}
