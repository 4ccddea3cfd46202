// The ledger sink: an SMTP (or LMTP) receiver that accepts any recipient, reads only the
// headers of each message, and records one arrival per envelope recipient in the ledger.
import type { SMTPServer } from 'smtp-server';
import { systemClock, type Clock } from '../../engine/clock.ts';
import type { Ledger } from '../../engine/ledger/types.ts';
import type { MetricsSink } from '../../engine/metrics/types.ts';
import { close, FastSmtpServer, listen } from '../smtp/fast-smtp-server.ts';
import { ArrivalRecorder } from './arrival-recorder.ts';
import { readHeaders } from './header-reader.ts';

export interface FakeSinkOptions {
  ledger: Ledger;
  clock?: Clock;
  metrics?: MetricsSink;
  /** Speak LMTP (LHLO, one reply per recipient) instead of SMTP. */
  lmtp?: boolean;
  host?: string;
  port?: number;
  /** Store name recorded with each arrival (default "sink"). */
  store?: string;
}

export interface StartedSink extends AsyncDisposable {
  host: string;
  port: number;
  recorder: ArrivalRecorder;
  stop(): Promise<void>;
}

export class FakeSink {
  constructor(private readonly options: FakeSinkOptions) {}

  async start(): Promise<StartedSink> {
    const o = this.options;
    const host = o.host ?? '127.0.0.1';
    const recorder = new ArrivalRecorder(o.ledger, o.clock ?? systemClock, o.store ?? 'sink', o.metrics);
    const server: SMTPServer = new FastSmtpServer({
      name: 'sink',
      banner: `mailstorm ledger sink (${o.lmtp ? 'LMTP' : 'SMTP'})`,
      logger: false,
      lmtp: o.lmtp ?? false,
      closeTimeout: 500,
      hideSTARTTLS: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      authOptional: true,
      onData(stream, session, callback) {
        readHeaders(stream).then(
          (headers) => {
            recorder.record(headers, session.envelope.rcptTo.map((r) => r.address));
            callback();
          },
          (error: Error) => callback(error),
        );
      },
    });
    const port = await listen(server, host, o.port ?? 0);
    let stopped: Promise<void> | undefined;
    const stop = () => (stopped ??= close(server));
    return { host, port, recorder, stop, [Symbol.asyncDispose]: stop };
  }
}
