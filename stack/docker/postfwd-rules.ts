// postfwd's rules for the docker stack, from the run's spec.mta: Exchange Online's reply-all
// storm protection (scaled with the replay: the spec's window and block are real time) and
// the per-sender message rate. postfwd sees envelopes, not headers, so the storm rule counts
// messages to a distribution list of at least minRecipients members, the original included.
import { stormProtectionOf, type MtaSpec } from '../../engine/mta-spec.ts';
import type { DirectoryService } from '../../directory/types.ts';

/** Text in the 550 reply; the Postfix log reader counts the rejects that carry it. */
export const STORM_REPLY = 'Reply-all storm protection';
export const SENDER_REPLY = 'Sender rate limit exceeded';
export const CONGESTION_REPLY = 'Platform congested';

export interface PostfwdRules {
  /** postfwd.cf content; empty when the spec asks for nothing postfwd does. */
  content: string;
  notes: string[];
}

/** postfwd rate windows are whole seconds. */
const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

export function postfwdRules(mta: MtaSpec, directory: DirectoryService): PostfwdRules {
  const rules: string[] = [];
  const notes: string[] = [];
  if (mta.stormProtection) {
    const p = stormProtectionOf(mta.stormProtection);
    const lists = directory.lists().map((list) => ({ list, size: directory.expand(list)?.length ?? 0 }));
    const big = lists.filter((l) => l.size >= p.minRecipients);
    const window = seconds(p.windowMs);
    // rate(item/max/time/action): the action answers once more than max requests came within
    // time seconds of the first; the original plus minReplyAlls reply-alls pass, as on Exchange.
    big.forEach(({ list, size }, i) => {
      rules.push(`id=STORM${i + 1} ; protocol_state==RCPT ; recipient==${list} ; action=rate(recipient/${p.minReplyAlls + 1}/${window}/550 5.7.1 ${STORM_REPLY}: reply-alls to ${list} (${size} recipients) are blocked)`);
    });
    notes.push(
      big.length > 0
        ? `mta.stormProtection applied by postfwd (Postfix's policy service): messages to ${big.map((l) => `${l.list} (${l.size} members)`).join(', ')} ` +
          `beyond the original and ${p.minReplyAlls} reply-alls within ${window} s get 550 5.7.1 (Exchange Online: ${p.minReplyAlls} reply-alls to ${p.minRecipients}+ recipients within 60 minutes, scaled by the replay)`
        : `mta.stormProtection: postfwd runs but no list has ${p.minRecipients} or more members, so no reply-all is ever blocked (as on Exchange Online)`,
      `mta.stormProtection approximated: postfwd sees envelopes, not In-Reply-To, so it counts every message to the list (the first one as the original), and the block lasts until ${window} s after the first message, not blockMs=${seconds(p.blockMs)} s after the ${p.minReplyAlls}th reply-all (postfwd holds a rate limit's answer for the rest of its window)`,
    );
  }
  if (mta.perSenderPerMinute !== undefined) {
    // Once a message, at DATA, keyed by the envelope sender (not the client address, which
    // every simulated user shares here).
    rules.push(`id=SENDER ; protocol_state==DATA ; action=rate(sender/${mta.perSenderPerMinute}/60/450 4.7.1 ${SENDER_REPLY} (${mta.perSenderPerMinute} messages a minute), try again later)`);
    notes.push(`mta.perSenderPerMinute=${mta.perSenderPerMinute} applied by postfwd per envelope sender, one count a message at DATA (450 4.7.1 there, not at MAIL FROM as on the embedded stack)`);
  }
  return { content: rules.length > 0 ? `${rules.join('\n')}\n` : '', notes };
}

/**
 * An intake limit for a whole platform: every simulated sender reaches the MTA from one client
 * address (the proxy's), so a rate per client address counts all of them; beyond `max`
 * recipients within `seconds` of the first, 451 4.3.2 until that window ends.
 */
export function congestionRule(intake: { max: number; seconds: number }): string {
  return `id=CONGESTION ; protocol_state==RCPT ; action=rate(client_address/${intake.max}/${intake.seconds}/451 4.3.2 ${CONGESTION_REPLY} (${intake.max} messages in ${intake.seconds} s), try again later)\n`;
}
