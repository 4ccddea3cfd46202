// How a client logs an account in. Flows hold an account's address and password; the stack
// says how its platform wants them presented: a password over a chosen SASL mechanism, or an
// OAuth2 access token (SASL XOAUTH2 for SMTP and IMAP, Authorization: Bearer for HTTP).

/** SASL mechanism for a password: PLAIN (one round trip) or LOGIN (the older two-step one). */
export type AuthMethod = 'PLAIN' | 'LOGIN';
export const AUTH_METHODS: readonly AuthMethod[] = ['PLAIN', 'LOGIN'];

export type Credential =
  | { type: 'password'; user: string; pass: string; method?: AuthMethod }
  | { type: 'oauth2'; user: string; accessToken: string };

/** Where an OAuth2 access token comes from; it is a secret and is never written down. */
export interface TokenSource {
  /** The current token, read again once it has expired. */
  token(): Promise<string>;
  /** Reads a fresh token (after the platform refused the current one); concurrent calls share one read. */
  refresh(): Promise<string>;
}

export interface ClientAuth {
  /** What the clients say in the stack's description (never a token or a command line). */
  readonly summary: string;
  /** How `user` logs in, given the password the flow holds for them. */
  credential(user: string, pass: string): Promise<Credential>;
  /**
   * After the platform refused `refused` (535, NO [AUTHENTICATIONFAILED], 401): a credential
   * worth one more try (a token read again that differs), or undefined when a retry cannot help.
   */
  renew(refused: Credential): Promise<Credential | undefined>;
  /** Every token handed out so far: what scrubbing an error message must remove. */
  secrets(): Iterable<string>;
}
