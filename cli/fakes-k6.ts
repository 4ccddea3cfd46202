// What `mailstorm fakes up` hands to external clients: the whole population as a file
// (--accounts-out, JSON or CSV by extension) that a k6 script loads with SharedArray, and with
// --for k6 the environment line the exported script reads.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DirectoryService } from '../directory/types.ts';
import type { Endpoints } from '../engine/endpoints.ts';

export interface AccountRow {
  address: string;
  password: string;
  organisation: string;
  devices: string[];
  lists: string[];
}

export function accountRows(directory: DirectoryService): AccountRow[] {
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
    });
  }
  return rows;
}

const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function accountsText(rows: readonly AccountRow[], file: string): string {
  if (path.extname(file).toLowerCase() === '.csv') {
    const lines = rows.map((r) => [r.address, r.password, r.organisation, r.devices.join(' '), r.lists.join(' ')].map(csvCell).join(','));
    return `address,password,organisation,devices,lists\n${lines.join('\n')}\n`;
  }
  return `${JSON.stringify({ accounts: rows }, null, 1)}\n`;
}

export async function writeAccounts(directory: DirectoryService, file: string): Promise<number> {
  const rows = accountRows(directory);
  await writeFile(file, accountsText(rows, file));
  return rows.length;
}

/** The env line for `k6 run` against this stack (names as the exported script reads them). */
export function k6EnvLine(endpoints: Endpoints, accountsFile: string | undefined, runId: string): string {
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
  };
  if (accountsFile !== undefined) vars['ACCOUNTS_FILE'] = path.resolve(accountsFile);
  return Object.entries(vars).map(([k, v]) => `${k}=${v}`).join(' ');
}
