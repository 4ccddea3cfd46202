// What StackSpec.standby means for the docker stack: one standby Postfix container behind a
// proxy pair per node (a node is down when its proxies are, and then takes no mail), sized by
// standby.mta the way Postfix can be: delivery pacing by lmtp_destination_rate_delay (whole
// seconds per destination, so a rate above 1/s is spread over several destinations), and the
// high water as postfwd's intake limit per client address, answering 451 like a full queue.
import type { StackSpec } from '../types.ts';
import { standbyNodeSuffixes } from '../common/standby-nodes.ts';

/** More destinations than this would be a listener each; faster standby rates are left to Postfix. */
export const MAX_PACED_DESTINATIONS = 16;
/** postfwd's window for an intake limit when no delivery rate says how fast the queue empties. */
const DEFAULT_INTAKE_SECONDS = 60;

export interface StandbySettings {
  /** Proxy name suffixes, one per node ("" for node 1, "-k" for node k). */
  nodeSuffixes: string[];
  /** Environment over the common one, for the standby container only. */
  env: Record<string, string>;
  /**
   * LMTP destinations Postfix paces one delivery a second each; above 1, mailstorm listens on
   * that many ports and the standby's transport_maps picks one at random per recipient.
   */
  destinations: number;
  /** postfwd: more than `max` recipients within `seconds` from one client address get 451. */
  intake?: { max: number; seconds: number };
  notes: string[];
}

/**
 * `deliversToHost`: Postfix delivers over LMTP to a mailstorm listener (the ledger sink or the
 * mailstore router), so more listeners can be opened; otherwise to its own Dovecot (one socket).
 * A standby without its own sizing is a copy of the primary (the common environment).
 */
export function standbySettings(spec: StackSpec, deliversToHost: boolean): StandbySettings | undefined {
  const standby = spec.standby;
  if (!standby?.enabled) return undefined;
  const nodeSuffixes = standbyNodeSuffixes(standby.nodes);
  const own = standby.mta ?? {};
  const env: Record<string, string> = {};
  const notes: string[] = [];
  let destinations = 1;
  if (nodeSuffixes.length > 1) {
    notes.push(
      `standby.nodes=${nodeSuffixes.length}: one standby Postfix container behind ${nodeSuffixes.length} proxy pairs (smtp-standby, submission-standby, ` +
        `smtp-standby-2 ...); a node whose proxies are down refuses every connection and takes no mail, while the nodes share one queue and one intake limit ` +
        '(mail a node accepted before it went down is still delivered, as on the embedded stack)',
    );
  }
  if (own.deliveryWorkers !== undefined) {
    env.DELIVERY_CONCURRENCY = String(own.deliveryWorkers);
    notes.push(`standby.mta.deliveryWorkers=${own.deliveryWorkers} applied as the standby's lmtp_destination_concurrency_limit`);
  }
  const rate = own.deliveryRatePerSec;
  if (rate !== undefined) {
    const paced = pacing(rate, deliversToHost);
    Object.assign(env, paced.env);
    destinations = paced.destinations;
    notes.push(paced.note);
  }
  const effectiveRate = rate ?? spec.mta?.deliveryRatePerSec;
  let intake: StandbySettings['intake'];
  if (own.highWater !== undefined) {
    const seconds = effectiveRate ? Math.max(1, Math.round(own.highWater / effectiveRate)) : DEFAULT_INTAKE_SECONDS;
    intake = { max: own.highWater, seconds };
    notes.push(
      `standby.mta.highWater=${own.highWater} approximated by postfwd on the standby: Postfix has no queue-size limit, so every RCPT from one client address ` +
        `(all simulated senders share one) counts, and beyond ${own.highWater} within ${seconds} s ` +
        `(${effectiveRate ? `the high water over the delivery rate of ${effectiveRate}/s` : 'no delivery rate given'}) the standby answers 451 4.3.2 until that window ends, ` +
        'so intake is held to what the queue could absorb, not checked against the queue itself',
    );
  }
  return { nodeSuffixes, env, destinations, ...(intake && { intake }), notes };
}

function pacing(rate: number, deliversToHost: boolean): { env: Record<string, string>; destinations: number; note: string } {
  const what = `standby.mta.deliveryRatePerSec=${rate}`;
  if (rate > 0 && rate <= 1) {
    const delay = Math.round(1 / rate);
    return {
      env: { DELIVERY_RATE_DELAY: `${delay}s`, DELIVERY_CONCURRENCY: '1' },
      destinations: 1,
      note: `${what} applied as the standby's lmtp_destination_rate_delay=${delay}s (${round(1 / delay)} deliveries/s: Postfix paces in whole seconds)`,
    };
  }
  const k = Math.round(rate);
  // Without pacing the primary's delay (if any) must not slow the standby down either.
  const unpaced = { env: { DELIVERY_RATE_DELAY: '0s' }, destinations: 1 };
  if (!deliversToHost) return { ...unpaced, note: `${what} not applied: the standby delivers to its own Dovecot over one socket, and Postfix paces one destination at 1 delivery/s at most` };
  if (k > MAX_PACED_DESTINATIONS) return { ...unpaced, note: `${what} not applied: above ${MAX_PACED_DESTINATIONS}/s Postfix's own delivery speed is what is measured` };
  return {
    env: { DELIVERY_RATE_DELAY: '1s', DELIVERY_CONCURRENCY: '1' },
    destinations: k,
    note:
      `${what} applied as ${k} LMTP destinations (mailstorm listens on ${k} ports) paced by lmtp_destination_rate_delay=1s each, the standby's transport_maps ` +
      `choosing one at random per recipient: ${k} deliveries/s once the queue backs up${k === rate ? '' : ` (rounded from ${rate})`}`,
  };
}

const round = (n: number) => Math.round(n * 100) / 100;
