// A directory for the benchmarks: every address of the domain exists, and one optional list
// ("all@bench.test") expands to `members` generated addresses.
import type { MtaDirectory } from '../../fakes/smtp/index.ts';

export const DOMAIN = 'bench.test';
export const LIST = `all@${DOMAIN}`;

export function benchDirectory(members: readonly string[] = []): MtaDirectory {
  return {
    domain: DOMAIN,
    authenticate: () => ({ ok: true }),
    exists: (address) => address.endsWith(`@${DOMAIN}`),
    expand: (address) => (address === LIST ? members : undefined),
  };
}

export function listMembers(count: number): string[] {
  const members = new Array<string>(count);
  for (let i = 0; i < count; i++) members[i] = `user${i}@${DOMAIN}`;
  return members;
}
