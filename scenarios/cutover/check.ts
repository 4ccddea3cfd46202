// After the drain (and the drain-back): every checked user logs in to the platform they are
// on again and their INBOX is read. Each accepted message must be there exactly once; one
// that is not is stranded (still on the new store) or lost (nowhere); the mailbox's state
// from before the switch must be unchanged. The delays are measured here too: first attempt
// to arrival in the mailbox the user reads after the round trip.
import { errorMessage } from '../../engine/errors.ts';
import { eachLimited, readMailbox, stateDrift } from './mailboxes.ts';
import type { ImapConnector } from '../../engine/clients/types.ts';
import type { CutoverData, Sent } from './state.ts';

export interface MailboxCheck {
  accepted: number;
  inMailbox: number;
  /** accepted, not in the user's mailbox, found on the new platform's store */
  stranded: number;
  /** accepted and in no mailbox at all */
  missing: number;
  duplicated: number;
  /** checked users whose mailbox misses mail, holds a copy twice or lost its earlier state */
  inconsistent: number;
  /** users who could log in before the switch and cannot now */
  loginRegressions: number;
  /** ms, per window message: first attempt to arrival (stranded/missing: to this check, a lower bound) */
  windowDelays: number[];
  undeliveredInWindow: number;
  samples: string[];
}

export async function checkMailboxes(imap: ImapConnector, d: CutoverData, now: () => number): Promise<MailboxCheck> {
  const byRecipient = new Map<string, Sent[]>();
  for (const s of d.sent) byRecipient.set(s.recipient, [...(byRecipient.get(s.recipient) ?? []), s]);
  const c: MailboxCheck = {
    accepted: d.sent.length, inMailbox: 0, stranded: 0, missing: 0, duplicated: 0, inconsistent: 0, loginRegressions: 0, windowDelays: [], undeliveredInWindow: 0, samples: [],
  };
  const note = (text: string) => {
    if (c.samples.length < 10) c.samples.push(text);
  };
  await eachLimited(d.recipients, 6, async (r) => {
    const sent = byRecipient.get(r.address) ?? [];
    let view;
    try {
      view = (await readMailbox(imap, r.auth, 'imap')).view;
    } catch (error) {
      if (d.loginsBefore.has(r.address)) c.loginRegressions++;
      c.inconsistent++;
      c.missing += sent.length;
      note(`${r.address}: cannot log in or read INBOX (${errorMessage(error)})`);
      return;
    }
    let consistent = true;
    const before = d.before.get(r.address);
    const drift = before ? stateDrift(before, view) : 'no record from before the switch';
    if (drift) {
      consistent = false;
      note(`${r.address}: ${drift}`);
    }
    const absent = sent.filter((s) => !view.ids.has(s.id));
    let onNew = new Set<string>();
    if (absent.length > 0) {
      consistent = false;
      onNew = new Set((await readMailbox(imap, r.auth, 'imap-new').catch(() => undefined))?.view.ids.keys() ?? []);
    }
    for (const s of sent) {
      const found = view.ids.get(s.id);
      if (found) {
        c.inMailbox++;
        if (found.copies > 1) {
          c.duplicated++;
          consistent = false;
          note(`${s.id} -> ${r.address}: ${found.copies} copies`);
        }
        if (s.window) c.windowDelays.push(Math.max(s.acceptedAt, d.movedAt.get(s.id) ?? found.at) - s.firstAttemptAt);
        continue;
      }
      if (onNew.has(s.id)) c.stranded++;
      else c.missing++;
      note(`${s.id} -> ${r.address}: ${onNew.has(s.id) ? 'stranded on the new platform' : 'in no mailbox'}`);
      if (s.window) {
        c.undeliveredInWindow++;
        c.windowDelays.push(now() - s.firstAttemptAt);
      }
    }
    if (!consistent) c.inconsistent++;
  });
  return c;
}
