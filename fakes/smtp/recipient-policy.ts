// Decides what a RCPT TO means: a local user, a distribution list to expand, or a remote
// address (relayed only for authenticated submission). Throws errors carrying SMTP codes.
import { replyError } from '../../engine/errors.ts';
import type { MtaDirectory } from './types.ts';

export type RecipientRoute =
  | { kind: 'user'; address: string }
  | { kind: 'list'; address: string; members: readonly string[] }
  | { kind: 'remote'; address: string };

export class RecipientPolicy {
  constructor(private readonly directory: MtaDirectory) {}

  route(address: string, authenticated: boolean): RecipientRoute {
    const normalized = address.trim().toLowerCase();
    const at = normalized.lastIndexOf('@');
    const domain = at < 0 ? '' : normalized.slice(at + 1);
    if (domain !== this.directory.domain.toLowerCase()) {
      if (!authenticated) throw replyError(`5.7.1 <${address}>: Relay access denied`, 554);
      return { kind: 'remote', address: normalized };
    }
    const members = this.directory.expand(normalized);
    if (members) return { kind: 'list', address: normalized, members };
    if (!this.directory.exists(normalized)) throw replyError(`5.1.1 <${address}>: Recipient address rejected: User unknown`, 550);
    return { kind: 'user', address: normalized };
  }
}
