// Test doubles for the MTA tests: a small directory and a delivery target that remembers.
import type { AuthResult } from '../../directory/types.ts';
import type { DeliveryTarget, MtaDirectory, QueuedMessage } from '../../fakes/smtp/types.ts';

export const DOMAIN = 'nhs.test';

export function stubDirectory(users = 20, lists: Record<string, number> = {}): MtaDirectory & { locked: Set<string> } {
  const addresses = Array.from({ length: users }, (_, i) => `user${i}@${DOMAIN}`);
  const listMembers = new Map(Object.entries(lists).map(([list, n]) => [list, addresses.slice(0, n)]));
  const locked = new Set<string>();
  return {
    domain: DOMAIN,
    locked,
    authenticate(address: string, password: string): AuthResult {
      const index = addresses.indexOf(address.toLowerCase());
      if (index < 0) return { ok: false, reason: 'unknown-user' };
      if (locked.has(address)) return { ok: false, reason: 'locked' };
      return password === `pw${index}` ? { ok: true } : { ok: false, reason: 'bad-password' };
    },
    exists: (address) => addresses.includes(address) || listMembers.has(address),
    expand: (address) => listMembers.get(address),
  };
}

export class MemoryTarget implements DeliveryTarget {
  readonly name = 'memory';
  readonly deliveries: { recipient: string; message: QueuedMessage }[] = [];
  deliver(recipient: string, message: QueuedMessage): void {
    this.deliveries.push({ recipient, message });
  }
}

export async function eventually(check: () => boolean, timeoutMs = 5000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return check();
}
