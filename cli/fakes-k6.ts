// What `mailstorm fakes up` hands to external clients: the whole population as a file
// (--accounts-out, JSON or CSV by extension) that a k6 script loads with SharedArray, and with
// --for k6 the environment line the exported script reads. A stack taking OAuth2 only adds
// each account's token to the file (the password alone would be refused).
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DirectoryService } from '../directory/types.ts';
import type { Endpoints } from '../engine/endpoints.ts';
import type { OAuthTokens } from '../directory/index.ts';

export interface AccountRow {
  address: string;
  password: string;
  organisation: string;
  devices: string[];
  lists: string[];
  /** With auth: oauth2: the account's access token (the stack refuses the password). */
  token?: string;
}

/** `tokens`: the stack takes OAuth2 only, so each row carries the account's token. */
export function accountRows(directory: DirectoryService, tokens?: OAuthTokens): AccountRow[] {
  const lists = directory.lists();
  const rows: AccountRow[] = [];
  for (let i = 0; i < directory.userCount; i++) {
    const user = directory.user(directory.addressAt(i));
    if (!user) continue;
    rows.push({
      address: user.address,
      password: user.password,
      organisation: user.organisation,
      devices: user.devices.map((d) => d.id),
      lists: lists.filter((l) => directory.isListMember(l, user.address)),
      ...(tokens && { token: tokens.tokenFor(user.address) }),
    });
  }
  return rows;
}

const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function accountsText(rows: readonly AccountRow[], file: string): string {
  if (path.extname(file).toLowerCase() === '.csv') {
    const tokens = rows.some((r) => r.token !== undefined);
    const lines = rows.map((r) => [r.address, r.password, r.organisation, r.devices.join(' '), r.lists.join(' '), ...(tokens ? [r.token ?? ''] : [])].map(csvCell).join(','));
    return `address,password,organisation,devices,lists${tokens ? ',token' : ''}\n${lines.join('\n')}\n`;
  }
  return `${JSON.stringify({ accounts: rows }, null, 1)}\n`;
}

export async function writeAccounts(directory: DirectoryService, file: string, tokens?: OAuthTokens): Promise<number> {
  const rows = accountRows(directory, tokens);
  await writeFile(file, accountsText(rows, file));
  return rows.length;
}

/** The env line for `k6 run` against this stack (names as the exported script reads them). */
export function k6EnvLine(endpoints: Endpoints, accountsFile: string | undefined, runId: string, auth: 'password' | 'oauth2' = 'password'): string {
  const vars: Record<string, string> = {
    SMTP_HOST: endpoints.smtp.host,
    SMTP_PORT: String(endpoints.smtp.port),
    SUBMISSION_HOST: endpoints.submission.host,
    SUBMISSION_PORT: String(endpoints.submission.port),
    IMAP_HOST: endpoints.imap.host,
    IMAP_PORT: String(endpoints.imap.port),
    // the stack's own TLS per endpoint wins over the script's --tls default; starttls is
    // passed on so the script refuses it by name (xk6-tcp cannot upgrade a socket)
    SMTP_TLS: endpoints.tls?.['smtp']?.mode ?? 'none',
    SUBMISSION_TLS: endpoints.tls?.['submission']?.mode ?? 'none',
    IMAP_TLS: endpoints.tls?.['imap']?.mode ?? 'none',
    ACTIVESYNC_URL: endpoints.activesync,
    RUN_ID: runId,
    // oauth2: the script takes each account's token from the accounts file
    ...(auth === 'oauth2' && { AUTH: 'oauth2' }),
  };
  if (accountsFile !== undefined) vars['ACCOUNTS_FILE'] = path.resolve(accountsFile);
  return Object.entries(vars).map(([k, v]) => `${k}=${v}`).join(' ');
}
