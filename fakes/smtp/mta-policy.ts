// Everything the MTA decides about a transaction, with no sockets: authentication, intake
// limits, recipient routing and list expansion, storm protection, queueing.
import type { Clock } from '../../engine/clock.ts';
import { replyError } from '../../engine/errors.ts';
import type { EventLog } from '../../engine/events.ts';
import type { MetricsSink } from '../../engine/metrics/types.ts';
import { LEDGER_HEADER } from '../../engine/ledger/types.ts';
import type { DeliveryQueue } from './delivery-queue.ts';
import { headerEnd, isReply, parseHeaders, threadKey } from './message-headers.ts';
import { RecipientPolicy } from './recipient-policy.ts';
import { SenderRateLimit } from './sender-rate-limit.ts';
import { StormProtection } from './storm-protection.ts';
import type { MtaDirectory } from './types.ts';
import type { MtaSpec } from '../../engine/mta-spec.ts';
import type { TokenVerifier } from '../../directory/oauth-tokens.ts';

export interface MtaPolicyOptions {
  directory: MtaDirectory;
  queue: DeliveryQueue;
  clock: Clock;
  metrics?: MetricsSink;
  events?: EventLog;
  perSenderPerMinute?: MtaSpec['perSenderPerMinute'];
  stormProtection?: MtaSpec['stormProtection'];
  /** OAuth2 only: logins need the account's token (XOAUTH2); passwords are refused. */
  tokens?: TokenVerifier;
}

export class MtaPolicy {
  readonly #recipients: RecipientPolicy;
  readonly #senders: SenderRateLimit;
  readonly #storm: StormProtection | undefined;

  constructor(private readonly options: MtaPolicyOptions) {
    this.#recipients = new RecipientPolicy(options.directory);
    this.#senders = new SenderRateLimit(options.perSenderPerMinute, options.clock);
    this.#storm = options.stormProtection ? new StormProtection(options.stormProtection, options.clock, options.events, options.metrics) : undefined;
  }

  authenticate(user: string, password: string): void {
    if (this.options.tokens) {
      // A platform that moved to OAuth2 has switched basic authentication off (Exchange Online's reply).
      this.options.metrics?.count('mta.auth_failures', 1, { reason: 'basic-disabled' });
      throw replyError('5.7.139 Authentication unsuccessful, basic authentication is disabled', 535);
    }
    const result = this.options.directory.authenticate(user, password, { kind: 'unknown' });
    if (result.ok) return;
    this.options.metrics?.count('mta.auth_failures', 1, { reason: result.reason });
    if (result.reason === 'locked') throw replyError('5.7.8 Authentication failed: account locked', 535);
    if (result.reason === 'must-change-password') throw replyError('5.7.8 Authentication failed: password expired, change it first', 535);
    throw replyError('5.7.8 Authentication credentials invalid', 535);
  }

  /** SASL XOAUTH2: the account's current token, or 535 5.7.8 (Gmail's reply to a bad token). */
  authenticateToken(user: string, token: string): void {
    const tokens = this.options.tokens;
    if (tokens?.verify(user, token) && this.options.directory.exists(user)) return;
    this.options.metrics?.count('mta.auth_failures', 1, { reason: tokens ? 'bad-token' : 'oauth2-off' });
    throw replyError('5.7.8 Username and Password not accepted', 535);
  }

  mailFrom(sender: string): void {
    this.options.queue.checkCapacity();
    this.#senders.check(sender);
  }

  rcptTo(address: string, authenticated: boolean): void {
    this.#recipients.route(address, authenticated);
  }

  /** Accepts a complete message: expands lists, applies storm protection, queues every delivery. */
  accept(raw: Buffer, from: string, rcptTo: readonly string[], authenticated: boolean): void {
    const end = headerEnd(raw);
    const headers = parseHeaders(raw.subarray(0, end < 0 ? Math.min(raw.length, 65536) : end).toString('latin1'));
    const groups: (readonly string[])[] = [];
    const singles: string[] = [];
    for (const address of rcptTo) {
      const route = this.#recipients.route(address, authenticated);
      if (route.kind === 'list') groups.push(route.members); // shared with the directory, never copied
      else singles.push(route.address);
    }
    if (singles.length > 0) groups.push(singles);
    const total = groups.reduce((sum, g) => sum + g.length, 0);
    this.#storm?.check(threadKey(headers), total, isReply(headers));
    const message = {
      raw,
      from,
      acceptedAt: this.options.clock.now(),
      ...optional('ledgerId', headers.get(LEDGER_HEADER.toLowerCase())),
      ...optional('messageId', headers.get('message-id')),
    };
    for (const group of groups) this.options.queue.enqueue(message, group);
    this.options.metrics?.count('mta.accepted', 1);
    this.options.metrics?.count('mta.deliveries_queued', total);
  }
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
