// The ClientAuth a stack hands its clients: passwords over a chosen SASL mechanism, or OAuth2
// with a token per account (a population file's) or one token for every account (a remote
// config's). A refused token is read once more; a retry only goes out when the token changed.
import type { AuthMethod, ClientAuth, Credential, TokenSource } from './types.ts';

export interface AccountAuthOptions {
  /** Force this mechanism for passwords (default: the client's choice, PLAIN when offered). */
  method?: AuthMethod;
  /** OAuth2 for every account, with this token. */
  token?: TokenSource;
  /** OAuth2 for the accounts that have their own token; they take precedence over `token`. */
  tokenOf?: (user: string) => TokenSource | undefined;
  /** What the report says about it, e.g. "oauth2, one token from the command get-token". */
  summary: string;
}

export class AccountAuth implements ClientAuth {
  readonly summary: string;
  readonly #options: AccountAuthOptions;
  readonly #handedOut = new Set<string>();

  constructor(options: AccountAuthOptions) {
    this.#options = options;
    this.summary = options.summary;
  }

  #source(user: string): TokenSource | undefined {
    return this.#options.tokenOf?.(user) ?? this.#options.token;
  }

  async credential(user: string, pass: string): Promise<Credential> {
    const source = this.#source(user);
    if (!source) return { type: 'password', user, pass, ...(this.#options.method && { method: this.#options.method }) };
    return this.#oauth(user, await source.token());
  }

  async renew(refused: Credential): Promise<Credential | undefined> {
    if (refused.type !== 'oauth2') return undefined;
    const source = this.#source(refused.user);
    if (!source) return undefined;
    const fresh = await source.refresh();
    return fresh === refused.accessToken ? undefined : this.#oauth(refused.user, fresh);
  }

  secrets(): Iterable<string> {
    return this.#handedOut;
  }

  #oauth(user: string, accessToken: string): Credential {
    this.#handedOut.add(accessToken);
    return { type: 'oauth2', user, accessToken };
  }
}
