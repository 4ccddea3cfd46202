// Counts postfwd's answers as Postfix logged them ("NOQUEUE: reject: RCPT from ...: 550 5.7.1
// ...: Reply-all storm protection ..."), so a run states from the MTA's own log how many
// reply-alls the policy service blocked, how many messages the sender rate refused and how
// many the intake limit turned away as congestion.
import { FAKE_MTA_METRICS } from '../../fakes/smtp/metric-declarations.ts';
import { declareAll, type DeclarationTable } from '../../engine/metrics/declare.ts';
import type { MetricsSink } from '../../engine/metrics/types.ts';
import type { EventLog } from '../../engine/events.ts';
import { CONGESTION_REPLY, SENDER_REPLY, STORM_REPLY } from './postfwd-rules.ts';

const REJECT = /\breject: (RCPT|DATA) from \S+: (\d{3}) (\d\.\d\.\d) (.*)$/;

export const POLICY_LOG_METRICS: DeclarationTable = {
  'mta.storm_blocked': FAKE_MTA_METRICS['mta.storm_blocked']!,
  'mta.sender_rate_limited': { kind: 'counter', unit: 'count', label: 'messages the per-sender rate refused', topic: 'errors' },
  // The embedded MTA's name for a refusal over the high water, which postfwd's intake limit stands in for.
  'mta.refused_backlog': FAKE_MTA_METRICS['mta.refused_backlog']!,
};

export class PolicyLog {
  #stormBlocks = 0;
  #senderLimited = 0;
  #congested = 0;

  constructor(private readonly metrics: MetricsSink, private readonly events: EventLog, private readonly role: string) {
    declareAll(metrics, POLICY_LOG_METRICS);
  }

  get stormBlocks(): number {
    return this.#stormBlocks;
  }

  get senderLimited(): number {
    return this.#senderLimited;
  }

  get congested(): number {
    return this.#congested;
  }

  line(line: string): void {
    if (!line.includes('reject: ')) return;
    const m = REJECT.exec(line);
    if (!m) return;
    const text = m[4] ?? '';
    if (text.includes(STORM_REPLY)) {
      // The first block in Postfix's log: the moment postfwd engaged, as Postfix saw it.
      if (this.#stormBlocks++ === 0) this.events.record('postfwd_storm_block_logged', { role: this.role, reply: `${m[2]} ${m[3]}` });
      this.metrics.count('mta.storm_blocked', 1);
    } else if (text.includes(SENDER_REPLY)) {
      this.#senderLimited++;
      this.metrics.count('mta.sender_rate_limited', 1);
    } else if (text.includes(CONGESTION_REPLY)) {
      if (this.#congested++ === 0) this.events.record('postfwd_congestion_logged', { role: this.role, reply: `${m[2]} ${m[3]}` });
      this.metrics.count('mta.refused_backlog', 1);
    }
  }
}
