// A run's Endpoints from the proxies a provider created: the four main services by name,
// every other proxy under `extra`, and the primary mailstore's IMAP also as imap-<store>.
import { StackError } from '../../engine/errors.ts';
import type { Endpoints, HostPort, ProxyInfo } from '../types.ts';

const MAIN = ['smtp', 'submission', 'imap', 'activesync'];

export function endpointsOf(proxies: Record<string, ProxyInfo>, toxiproxy: string, primaryStore: string, what: string): Endpoints {
  const listen = (name: string): HostPort => {
    const proxy = proxies[name];
    if (!proxy) throw new StackError(`${what} has no "${name}" proxy`);
    return proxy.listen;
  };
  const extra: Record<string, HostPort> = {};
  for (const name of Object.keys(proxies)) if (!MAIN.includes(name)) extra[name] = listen(name);
  extra[`imap-${primaryStore}`] = listen('imap');
  const activesync = listen('activesync');
  return {
    smtp: listen('smtp'),
    submission: listen('submission'),
    imap: listen('imap'),
    activesync: `http://${activesync.host}:${activesync.port}`,
    toxiproxy,
    proxies,
    extra,
  };
}
