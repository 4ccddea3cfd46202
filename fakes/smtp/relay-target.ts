// A delivery target that passes each delivery on over the network (SMTP or LMTP), e.g. to the
// ledger sink or a real mailstore's LMTP port. 5xx replies bounce, anything else is retried.
import nodemailer from 'nodemailer';
import { DeliveryError, type DeliveryTarget } from './types.ts';

export interface RelayTargetOptions {
  host: string;
  port: number;
  lmtp?: boolean;
  /** Connections kept open to the next hop (default 4). */
  connections?: number;
  name?: string;
}

export function relayTarget(options: RelayTargetOptions): DeliveryTarget & { close(): void } {
  const transport = nodemailer.createTransport({
    host: options.host,
    port: options.port,
    lmtp: options.lmtp ?? false,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: options.connections ?? 4,
    maxMessages: 10_000,
  });
  return {
    name: options.name ?? `${options.lmtp ? 'lmtp' : 'smtp'}://${options.host}:${options.port}`,
    async deliver(recipient, message) {
      try {
        const info = await transport.sendMail({ envelope: { from: message.from, to: [recipient] }, raw: message.raw });
        if (info.rejected.length > 0) throw new DeliveryError(`${recipient} rejected by ${options.host}:${options.port}: ${info.response ?? ''}`, true);
      } catch (error) {
        if (error instanceof DeliveryError) throw error;
        const failure = error as { responseCode?: number; response?: string; message?: string };
        throw new DeliveryError(failure.response ?? failure.message ?? String(error), (failure.responseCode ?? 0) >= 500);
      }
    },
    close: () => transport.close(),
  };
}
