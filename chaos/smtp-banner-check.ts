// Health check for an SMTP endpoint as a front end does it: connect, read the 220 greeting
// (multi-line allowed), send QUIT. Anything else (refused, reset, 4xx/5xx greeting, silence)
// is unhealthy.
import net from 'node:net';
import type { HostPort } from '../stack/types.ts';

export interface SmtpBannerCheckOptions {
  /** default 2000 ms */
  timeoutMs?: number;
}

export function smtpBannerCheck(address: HostPort, options: SmtpBannerCheckOptions = {}): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(address.port, address.host);
    let buffer = '';
    let settled = false;
    const finish = (healthy: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (healthy) socket.end('QUIT\r\n');
      else socket.destroy();
      resolve(healthy);
    };
    const timer = setTimeout(() => finish(false), options.timeoutMs ?? 2000);
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      buffer += text;
      // The greeting ends at the first line whose code is followed by a space.
      const last = buffer.split('\r\n').find((line) => /^\d{3} /.test(line) || /^\d{3}$/.test(line));
      if (last !== undefined) finish(last.startsWith('220'));
      else if (buffer.length > 4096) finish(false);
    });
    socket.on('error', () => finish(false));
    socket.on('close', () => finish(false));
    // After a healthy QUIT, let the socket close on its own; a stuck server is cut off.
    socket.on('end', () => socket.destroy());
  });
}

/** A FailoverSelector check over named endpoints (e.g. Endpoints.submission and Endpoints.extra). */
export function smtpBannerChecks(addresses: Record<string, HostPort>, options: SmtpBannerCheckOptions = {}): (name: string) => Promise<boolean> {
  return async (name) => {
    const address = addresses[name];
    return address ? smtpBannerCheck(address, options) : false;
  };
}
