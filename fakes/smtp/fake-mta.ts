// The fake MTA's protocol side: a relay (MX) port and an authenticated submission port on
// smtp-server, whose hooks only hand over to MtaPolicy. Policy errors carry their reply codes.
import type { SMTPServer, SMTPServerDataStream, SMTPServerOptions, SMTPServerSession } from 'smtp-server';
import { systemClock, type Clock } from '../../engine/clock.ts';
import { replyError } from '../../engine/errors.ts';
import type { EventLog } from '../../engine/events.ts';
import type { Ledger } from '../../engine/ledger/types.ts';
import type { MetricsSink } from '../../engine/metrics/types.ts';
import { DeliveryQueue } from './delivery-queue.ts';
import { close, FastSmtpServer, listen } from './fast-smtp-server.ts';
import { MtaPolicy } from './mta-policy.ts';
import type { DeliveryTarget, MtaDirectory } from './types.ts';
import type { MtaSpec } from '../../engine/mta-spec.ts';
import { declareAll } from '../../engine/metrics/declare.ts';
import { FAKE_MTA_METRICS } from './metric-declarations.ts';
import type { FakeTlsOptions } from '../tls/options.ts';
import type { TokenVerifier } from '../../directory/oauth-tokens.ts';

/** The stack contract's MTA spec (engine/mta-spec.ts) plus what a fake needs to run. */
export interface FakeMtaOptions extends MtaSpec {
  directory: MtaDirectory;
  target: DeliveryTarget;
  clock?: Clock;
  metrics?: MetricsSink;
  ledger?: Ledger;
  events?: EventLog;
  /** Greeting name and queue gauge tag (default "mta"). */
  name?: string;
  host?: string;
  relayPort?: number;
  submissionPort?: number;
  /** SIZE advertised and enforced (default 25 MiB). */
  maxMessageBytes?: number;
  /** OAuth2 only: submission offers XOAUTH2 and takes the account's token, never a password. */
  tokens?: TokenVerifier;
  /** A broken MTA answers every connection with 421 and closes it (a standby that will not take over). */
  broken?: boolean;
  /** TLS on both ports: STARTTLS (then required before AUTH and MAIL) or implicit. Default: cleartext. */
  tls?: FakeTlsOptions;
}

export interface StartedMta extends AsyncDisposable {
  host: string;
  /** The relay (MX) port. */
  port: number;
  relay: { host: string; port: number };
  submission: { host: string; port: number };
  queue: DeliveryQueue;
  stop(): Promise<void>;
}

export class FakeMta {
  constructor(private readonly options: FakeMtaOptions) {}

  async start(): Promise<StartedMta> {
    const o = this.options;
    const clock = o.clock ?? systemClock;
    const host = o.host ?? '127.0.0.1';
    if (o.metrics) declareAll(o.metrics, FAKE_MTA_METRICS);
    const queue = new DeliveryQueue({
      target: o.target,
      clock,
      name: o.name ?? 'mta',
      ...(o.metrics && { metrics: o.metrics }),
      ...(o.ledger && { ledger: o.ledger }),
      ...(o.deliveryWorkers !== undefined && { workers: o.deliveryWorkers }),
      ...(o.deliveryRatePerSec !== undefined && { ratePerSec: o.deliveryRatePerSec }),
      ...(o.highWater !== undefined && { highWater: o.highWater }),
    });
    const policy = new MtaPolicy({
      directory: o.directory,
      queue,
      clock,
      ...(o.metrics && { metrics: o.metrics }),
      ...(o.events && { events: o.events }),
      ...(o.perSenderPerMinute !== undefined && { perSenderPerMinute: o.perSenderPerMinute }),
      ...(o.stormProtection !== undefined && { stormProtection: o.stormProtection }),
      ...(o.tokens && { tokens: o.tokens }),
    });
    const relay = createServer(policy, o, false);
    const submission = createServer(policy, o, true);
    const relayPort = await listen(relay, host, o.relayPort ?? 0);
    const submissionPort = await listen(submission, host, o.submissionPort ?? 0).catch(async (error: unknown) => {
      await close(relay);
      throw error;
    });
    let stopped: Promise<void> | undefined;
    const stop = () =>
      (stopped ??= (async () => {
        queue.stop();
        await Promise.all([close(relay), close(submission)]);
      })());
    return {
      host,
      port: relayPort,
      relay: { host, port: relayPort },
      submission: { host, port: submissionPort },
      queue,
      stop,
      [Symbol.asyncDispose]: stop,
    };
  }
}

function createServer(policy: MtaPolicy, o: FakeMtaOptions, submission: boolean): SMTPServer {
  const maxBytes = o.maxMessageBytes ?? 25 * 1024 * 1024;
  const tls = o.tls;
  const options: SMTPServerOptions = {
    ...tlsOptions(tls, submission),
    name: o.name ?? 'mta',
    banner: submission ? 'mailstorm fake MTA (submission)' : 'mailstorm fake MTA',
    logger: false,
    closeTimeout: 500,
    size: maxBytes,
    authOptional: !submission,
    authMethods: o.tokens ? ['XOAUTH2', 'PLAIN', 'LOGIN'] : ['PLAIN', 'LOGIN'],
    onConnect(_session, callback) {
      if (o.broken) return callback(replyError('4.3.2 Service not available, closing transmission channel', 421));
      callback();
    },
    onAuth(auth, _session, callback) {
      try {
        if (auth.method === 'XOAUTH2') policy.authenticateToken(auth.username ?? '', auth.accessToken ?? '');
        else policy.authenticate(auth.username ?? '', auth.password ?? '');
        o.metrics?.count('mta.logins', 1, { mechanism: auth.method });
        callback(null, { user: auth.username });
      } catch (error) {
        callback(error as Error);
      }
    },
    onMailFrom(address, session, callback) {
      // A TLS-only platform: no mail in cleartext, as Postfix's smtpd_tls_security_level=encrypt answers.
      if (tls?.mode === 'starttls' && !session.secure) return callback(replyError('5.7.0 Must issue a STARTTLS command first', 530));
      attempt(callback, () => policy.mailFrom(address.address));
    },
    onRcptTo(address, session, callback) {
      attempt(callback, () => policy.rcptTo(address.address, submission && session.user !== undefined));
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        if (!stream.sizeExceeded) chunks.push(chunk);
      });
      stream.on('end', () => {
        if (stream.sizeExceeded) return callback(replyError(`5.3.4 Message size exceeds fixed maximum message size (${maxBytes} bytes)`, 552));
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const rcptTo = session.envelope.rcptTo.map((r) => r.address);
        attempt(callback, () => policy.accept(Buffer.concat(chunks), from, rcptTo, submission && session.user !== undefined));
      });
    },
  };
  return new FastSmtpServer(options);
}

/** smtp-server's TLS options: cleartext (no STARTTLS), STARTTLS offered with AUTH only after it, or implicit TLS. */
function tlsOptions(tls: FakeTlsOptions | undefined, submission: boolean): SMTPServerOptions {
  const cleartextCommands = submission ? [] : ['AUTH'];
  if (!tls) return { hideSTARTTLS: true, disabledCommands: [...cleartextCommands, 'STARTTLS'], allowInsecureAuth: true };
  const keys = { key: tls.key, cert: tls.cert };
  if (tls.mode === 'implicit') return { ...keys, secure: true, hideSTARTTLS: true, disabledCommands: [...cleartextCommands, 'STARTTLS'] };
  return { ...keys, secure: false, hideSTARTTLS: false, disabledCommands: cleartextCommands, allowInsecureAuth: false };
}

function attempt(callback: (error?: Error | null) => void, action: () => void): void {
  try {
    action();
  } catch (error) {
    return callback(error as Error);
  }
  callback();
}
