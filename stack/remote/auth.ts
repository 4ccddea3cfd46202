// How a remote platform's accounts log in (--config `auth`): passwords, optionally forcing
// AUTH PLAIN or LOGIN, or OAuth2 with one token for every account (`token: file:PATH` or
// `token: command:...`) and/or each account's own token from the population file. Every token
// is read once before anything is sent, so a bad path or a failing command stops the run
// (exit 2) naming the key; the tokens themselves are never written anywhere.
import { z } from 'zod';
import { parseDuration } from '../../engine/duration.ts';
import { InputError } from '../../engine/errors.ts';
import { AccountAuth, ReferencedToken } from '../../engine/clients/auth/index.ts';
import type { TestAccount } from '../../directory/accounts-directory.ts';

export const remoteAuthSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('password'), authMethod: z.enum(['PLAIN', 'LOGIN']).optional() }).strict(),
  z.object({ type: z.literal('oauth2'), token: z.string().min(1).optional(), timeout: z.string().min(1).optional() }).strict(),
]);

export type RemoteAuthConfig = z.output<typeof remoteAuthSchema>;

/** Token reads at once while checking a population's tokens before the run. */
const READS_AT_ONCE = 4;

/** The clients' ClientAuth for the config and population, every token read once; undefined: plain passwords. */
export async function buildRemoteAuth(config: RemoteAuthConfig | undefined, accounts: readonly TestAccount[], baseDir: string): Promise<AccountAuth | undefined> {
  const own = new Map(accounts.filter((a) => a.token).map((a) => [a.address.toLowerCase(), a.token!] as const));
  if (config?.type === 'password') return config.authMethod ? new AccountAuth({ method: config.authMethod, summary: `password, AUTH ${config.authMethod} forced` }) : undefined;
  const timeoutMs = config?.timeout === undefined ? undefined : parseDuration(config.timeout, '--config: auth.timeout');
  const shared = config?.token === undefined ? undefined : new ReferencedToken(config.token, { where: '--config: auth.token', baseDir, ...(timeoutMs !== undefined && { timeoutMs }) });
  if (config?.type === 'oauth2' && !shared) {
    const without = accounts.filter((a) => !a.token).map((a) => a.address);
    if (accounts.length === 0 || without.length > 0) {
      throw new InputError(`--config: auth: oauth2 names no token, and ${accounts.length === 0 ? 'there is no population file' : `these accounts have none of their own in the population file: ${without.slice(0, 5).join(', ')}${without.length > 5 ? ` and ${without.length - 5} more` : ''}`}; give auth.token: file:PATH or command:...`);
    }
  }
  if (!shared && own.size === 0) return undefined;
  // read every token now: a wrong path or a failing command is bad input, found before any load
  await shared?.token();
  const sources = [...own.values()];
  for (let i = 0; i < sources.length; i += READS_AT_ONCE) await Promise.all(sources.slice(i, i + READS_AT_ONCE).map((s) => s.token()));
  const parts = [...(shared ? [`one token from ${shared.origin} for every account${own.size ? ' without its own' : ''}`] : []), ...(own.size ? [`${own.size} accounts with their own token from the population file`] : [])];
  return new AccountAuth({
    ...(shared && { token: shared }),
    ...(own.size > 0 && { tokenOf: (user: string) => own.get(user.toLowerCase()) }),
    summary: `oauth2 (XOAUTH2 for SMTP and IMAP, Bearer for ActiveSync): ${parts.join('; ')}`,
  });
}
