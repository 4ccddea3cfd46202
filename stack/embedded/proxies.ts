// Fronts each service with a fault proxy created through toxiproxy-node-client, the same
// client chaos uses, so the embedded stack and a real Toxiproxy are driven alike.
import { Toxiproxy } from 'toxiproxy-node-client';
import { StackError, errorMessage } from '../../engine/errors.ts';
import type { HostPort, ProxyInfo } from '../types.ts';

/** `listenPort` 0 lets the proxy pick a free port. */
export async function createProxy(apiUrl: string, name: string, upstream: HostPort, listenPort = 0): Promise<ProxyInfo> {
  try {
    const proxy = await new Toxiproxy(apiUrl).createProxy({ name, listen: `127.0.0.1:${listenPort}`, upstream: `${upstream.host}:${upstream.port}` });
    return { name, listen: parseHostPort(proxy.listen), upstream };
  } catch (error) {
    throw new StackError(`could not create the "${name}" fault proxy in front of ${upstream.host}:${upstream.port}: ${errorMessage(error)}`);
  }
}

export function parseHostPort(address: string): HostPort {
  const colon = address.lastIndexOf(':');
  const port = Number(address.slice(colon + 1));
  if (colon < 0 || !Number.isInteger(port) || port <= 0) throw new StackError(`the fault proxy reported an unusable listen address "${address}"`);
  const host = address.slice(0, colon).replace(/^\[|\]$/g, '');
  return { host: host === '' || host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host, port };
}
