// host:port parsing for listen/upstream fields, and the loopback-only rule for listen
// addresses (an embedded fault proxy must never open a port to the network).
import { ApiError } from './api-error.ts';

export interface Address {
  host: string;
  port: number;
}

export function parseAddress(text: string, field: string): Address {
  const match = /^(?:\[([^\]]*)\]|([^:]*)):(\d{1,5})$/.exec(text.trim());
  const port = Number(match?.[3]);
  if (!match || port > 65535) throw new ApiError(`${field}: "${text}" is not host:port`, 400);
  return { host: match[1] ?? match[2] ?? '', port };
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|::1)$/i;

/** Resolves a listen field to a loopback address; empty host means 127.0.0.1. */
export function loopbackListen(text: string | undefined): Address {
  const address = parseAddress(text === undefined || text === '' ? '127.0.0.1:0' : text, 'listen');
  if (address.host === '') address.host = '127.0.0.1';
  if (!LOOPBACK.test(address.host)) {
    throw new ApiError(`listen: only loopback addresses are allowed (127.0.0.1, ::1, localhost), got "${text}"`, 400);
  }
  if (address.host.toLowerCase() === 'localhost') address.host = '127.0.0.1';
  return address;
}

export function formatAddress(a: Address): string {
  return a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}
