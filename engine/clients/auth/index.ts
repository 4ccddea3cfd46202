export { AccountAuth, type AccountAuthOptions } from './account-auth.ts';
export { ReferencedToken, parseTokenReference, type TokenReference } from './token-reference.ts';
export { splitArgv } from './argv.ts';
export { AUTH_METHODS, type AuthMethod, type ClientAuth, type Credential, type TokenSource } from './types.ts';
