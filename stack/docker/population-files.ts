// Postfix tables generated from mailstorm's directory, copied into the mail container before
// it starts: which recipients exist (550 5.1.1 for others) and how lists expand.
import type { DirectoryService } from '../../directory/types.ts';

/** One address a line: every user of the population. */
export function mailboxesFile(directory: DirectoryService): string {
  const out: string[] = [];
  for (let i = 0; i < directory.userCount; i++) out.push(directory.addressAt(i));
  return `${out.join('\n')}\n`;
}

/** Postfix virtual alias map: "list member,member,...", one list a line. */
export function virtualAliasFile(directory: DirectoryService): string {
  return directory
    .lists()
    .map((list) => `${list} ${(directory.expand(list) ?? []).join(',')}`)
    .join('\n')
    .concat('\n');
}
