// Per-user delivery between several mailstores on the docker stack. Postfix delivers the
// population's mail over LMTP here; for each recipient the router asks MailboxRoutes which
// store the user lives on *at that moment* and hands the message to that store's Dovecot
// LMTP, answering Postfix with Dovecot's own reply. A Postfix transport table could not
// follow a move at once: lookups are cached by the queue manager and a rebuilt table is
// picked up by restarted processes only, so mail sent right after a move would still land
// on the old store. The route is read again just before the final dot (lmtp-delivery.ts),
// so only a move in the last instant of Dovecot's own commit can still race a delivery.
// Arrivals are recorded here once Dovecot accepted the message.
import type { SMTPServer } from 'smtp-server';
import type { Clock } from '../../engine/clock.ts';
import { errorMessage } from '../../engine/errors.ts';
import type { Ledger } from '../../engine/ledger/types.ts';
import type { MetricsSink } from '../../engine/metrics/types.ts';
import { close, FastSmtpServer, listen } from '../../fakes/smtp/fast-smtp-server.ts';
import { headerValue, ledgerIdOf } from '../../fakes/mailstore/message.ts';
import type { HostPort } from '../types.ts';
import type { MailboxRoutes } from './mailbox-routes.ts';
import { LmtpDelivery, type LmtpReply } from './lmtp-delivery.ts';
import { declareAll } from '../../engine/metrics/declare.ts';

export interface LmtpRouterOptions {
  routes: MailboxRoutes;
  /** A store's Dovecot LMTP (published port); asked at delivery time, as stores start after the router. */
  storeAt: (store: string) => HostPort | undefined;
  ledger: Ledger;
  clock: Clock;
  metrics?: MetricsSink;
  /** Where Postfix reaches the router (the stack network's gateway). */
  host: string;
}

export interface StartedLmtpRouter {
  host: string;
  port: number;
  stop(): Promise<void>;
}

type Reply = string | (Error & { responseCode?: number });

export class LmtpRouter {
  constructor(private readonly o: LmtpRouterOptions) {
    if (o.metrics) {
      declareAll(o.metrics, {
        'router.deliveries': { kind: 'counter', unit: 'count', label: 'deliveries routed to a store', topic: 'throughput', worse: 'lower' },
        'router.rerouted': { kind: 'counter', unit: 'count', label: 'deliveries rerouted to a moved mailbox', topic: 'migration' },
        'router.failures': { kind: 'counter', unit: 'count', label: 'deliveries a store refused', topic: 'errors' },
      });
    }
  }

  async start(): Promise<StartedLmtpRouter> {
    const o = this.o;
    const deliverOne = async (from: string, recipient: string, raw: Buffer, id: string | undefined, messageId: string | undefined): Promise<Reply> => {
      // The store is checked again right before the final dot: a user moved while the message
      // was on its way to the old store gets it in the new one instead (bounded retries).
      for (let attempt = 0; attempt < 5; attempt++) {
        const store = o.routes.storeOf(recipient);
        const at = o.storeAt(store);
        if (!at) return Object.assign(new Error(`4.3.0 mailstore "${store}" is not reachable yet`), { responseCode: 451 });
        let reply: LmtpReply;
        try {
          const delivery = await LmtpDelivery.open(at, from, recipient, raw);
          if (o.routes.storeOf(recipient) !== store) {
            delivery.abort();
            o.metrics?.count('router.rerouted', 1, { store });
            continue;
          }
          reply = await o.routes.track(recipient, delivery.commit());
        } catch (error) {
          return failed(store, recipient, id, error);
        }
        if (reply.code >= 300) return failed(store, recipient, id, Object.assign(new Error(`${reply.code} ${reply.text}`), { responseCode: reply.code }));
        if (id !== undefined) {
          o.ledger.arrived({ id, recipient: recipient.toLowerCase(), at: o.clock.now(), store, ...(messageId !== undefined && { messageId }) });
        }
        o.metrics?.count('router.deliveries', 1, { store });
        return `2.0.0 <${recipient}> delivered to mailstore ${store}`;
      }
      return Object.assign(new Error(`4.3.0 <${recipient}> moved between mailstores repeatedly; try again`), { responseCode: 451 });
    };
    const failed = (store: string, recipient: string, id: string | undefined, error: unknown): Reply => {
      const code = (error as { responseCode?: number }).responseCode ?? 451;
      const reply = Object.assign(new Error(`mailstore ${store}: ${errorMessage(error)}`), { responseCode: code });
      if (code >= 500 && id !== undefined) o.ledger.bounced(id, recipient.toLowerCase(), reply.message, o.clock.now());
      o.metrics?.count('router.failures', 1, { store, code: String(code) });
      return reply;
    };
    const server: SMTPServer = new FastSmtpServer({
      name: 'router',
      banner: 'mailstorm mailstore router (LMTP)',
      logger: false,
      lmtp: true,
      closeTimeout: 500,
      hideSTARTTLS: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      authOptional: true,
      size: 64 * 1024 * 1024,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('error', (error) => callback(error));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks);
          const id = ledgerIdOf(raw);
          const messageId = headerValue(raw, 'Message-ID');
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          // One reply per recipient, in RCPT order, as LMTP requires.
          Promise.all(session.envelope.rcptTo.map((r) => deliverOne(from, r.address, raw, id, messageId))).then(
            (replies) => callback(null, replies as unknown as string),
            (error: Error) => callback(error),
          );
        });
      },
    });
    const port = await listen(server, o.host, 0);
    let stopped: Promise<void> | undefined;
    const stop = () =>
      (stopped ??= (async () => {
        await close(server);
      })());
    return { host: o.host, port, stop };
  }
}
