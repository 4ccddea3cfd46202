// OAuth2 access tokens the embedded stack's directory issues, one per account, standing in for
// a platform's identity provider: the fakes accept a login only with the account's current
// token (SASL XOAUTH2, Authorization: Bearer), as a hosted platform with basic auth switched
// off does. Tests read the tokens to hand mailstorm a token file or command; rotate() makes the
// token a client holds stale, as an expiry at the identity provider does. serviceToken() is an
// application's token good for every mailbox (Exchange Online's app-only access), the one a
// remote config's `auth.token` names for all accounts.
import type { Random } from '../engine/random.ts';

/** What the fakes ask: is this the account's current token? */
export interface TokenVerifier {
  verify(address: string, token: string): boolean;
}

export class OAuthTokens implements TokenVerifier {
  readonly #random: Random;
  readonly #tokens = new Map<string, string>();
  /** Current token -> its account, for an introspection endpoint's answer. */
  readonly #owners = new Map<string, string>();
  #service: string | undefined;

  constructor(random: Random) {
    this.#random = random;
  }

  /** The account's current token, issued on first ask. */
  tokenFor(address: string): string {
    const key = address.trim().toLowerCase();
    let token = this.#tokens.get(key);
    if (token === undefined) {
      token = this.#issue();
      this.#set(key, token);
    }
    return token;
  }

  /** Issues the account a new token; the old one is refused from now on. */
  rotate(address: string): string {
    const token = this.#issue();
    this.#set(address.trim().toLowerCase(), token);
    return token;
  }

  /** The account whose current token this is (what an introspection endpoint answers), or undefined. */
  ownerOf(token: string): string | undefined {
    return this.#owners.get(token);
  }

  #set(key: string, token: string): void {
    const old = this.#tokens.get(key);
    if (old !== undefined) this.#owners.delete(old);
    this.#tokens.set(key, token);
    this.#owners.set(token, key);
  }

  /** A token every account's login accepts, issued on first ask. */
  serviceToken(): string {
    return (this.#service ??= this.#issue());
  }

  verify(address: string, token: string): boolean {
    if (this.#service !== undefined && token === this.#service) return true;
    const current = this.#tokens.get(address.trim().toLowerCase());
    return current !== undefined && current === token;
  }

  #issue(): string {
    let body = '';
    while (body.length < 40) body += Math.floor(this.#random.next() * 2 ** 32).toString(36);
    return `ms-at.${body.slice(0, 40)}`;
  }
}
