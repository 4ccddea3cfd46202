// The embedded stack: every fake in this process on loopback ports, each fronted by a proxy
// of the embedded fault proxy, created through toxiproxy-node-client like a real Toxiproxy's.
import { StackError, errorMessage } from '../../engine/errors.ts';
import { FakeActiveSync } from '../../fakes/activesync/index.ts';
import type { HostPort, ProxyInfo, Stack, StackOptions, StackProvider } from '../types.ts';
import { buildDirectory } from '../common/directory.ts';
import { endpointsOf } from '../common/endpoints.ts';
import { StackTeardown } from '../common/teardown.ts';
import { startMailServices } from './mail-services.ts';
import { createProxy } from './proxies.ts';
import { startFaultProxy } from './fault-proxy.ts';
import { embeddedConfig } from './config.ts';
import { prepareTls, tlsOfEndpoints } from './tls.ts';
import { OAuthTokens } from '../../directory/index.ts';
import { directoryTokenAuth } from '../common/oauth.ts';

export interface EmbeddedListenOptions {
  /**
   * Fixed ports instead of free ones: the fault proxy API on portBase, then the proxies in
   * PROXY_ORDER on portBase+1, +2 ... (the standalone `mailstorm fakes up` uses this).
   */
  portBase?: number;
}

/** Proxy names in the order fixed ports are handed out; names not listed follow, sorted. */
export const PROXY_ORDER = ['smtp', 'submission', 'imap', 'activesync', 'sink', 'sink-lmtp', 'smtp-standby', 'submission-standby'];

export const embeddedProvider: StackProvider = {
  kind: 'embedded',
  start: (options: StackOptions) => startEmbeddedStack(options),
};

export async function startEmbeddedStack(options: StackOptions, listen: EmbeddedListenOptions = {}): Promise<Stack> {
  const teardown = new StackTeardown('the embedded stack');
  try {
    return await startStack(options, teardown, listen.portBase);
  } catch (error) {
    await teardown.stop().catch(() => {});
    if (error instanceof Error && 'exitCode' in error) throw error;
    throw new StackError(`the embedded stack failed to start: ${errorMessage(error)}`);
  }
}

async function startStack(options: StackOptions, teardown: StackTeardown, portBase: number | undefined): Promise<Stack> {
  const { spec, random } = options;
  const directory = buildDirectory(options);
  const config = embeddedConfig(options.config);
  const tls = await prepareTls(config.tls, options.logDir);
  // auth: oauth2: the directory issues each account a token and the fakes take nothing else.
  const tokens = config.auth === 'oauth2' ? new OAuthTokens(random.fork('oauth2')) : undefined;
  const [toxiproxy, activesync] = await Promise.all([
    startFaultProxy(random, portBase, options.events),
    new FakeActiveSync({ directory, ...(tls && { tls: tls.fake }), ...(tokens && { tokens }) }).start(),
  ]);
  teardown.add('toxiproxy', () => toxiproxy.stop());
  teardown.add('activesync', () => activesync.stop());
  const mail = await startMailServices(options, directory, teardown, { ...(tls && { tls: tls.fake }), ...(tokens && { tokens }) });
  teardown.add('toxiproxy', () => toxiproxy.stop()); // again, so it stops first: clients lose the proxies before the services

  const upstreams: Record<string, HostPort> = { ...mail.upstreams, activesync: { host: activesync.host, port: activesync.port } };
  upstreams.imap = upstreams[mail.primaryImap] as HostPort;
  delete upstreams[mail.primaryImap]; // the primary store is reached through "imap" (and its alias below)
  const proxies: Record<string, ProxyInfo> = {};
  const names = Object.keys(upstreams).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const created = names.map((name, i) => createProxy(toxiproxy.url, name, upstreams[name] as HostPort, portBase === undefined ? 0 : portBase + 1 + i));
  for (const proxy of await Promise.all(created)) {
    proxies[proxy.name] = proxy;
  }
  const endpoints = tlsOfEndpoints(endpointsOf(proxies, toxiproxy.url, mail.primaryImap.slice('imap-'.length), 'the embedded stack'), tls);
  const stop = () => teardown.stop();
  return {
    description: {
      kind: 'embedded',
      components: [
        { name: 'directory', version: `${directory.userCount} users, lockout ${spec.lockout?.policy ?? 'ad'}` },
        ...Object.values(proxies).map((p) => ({ name: p.name, endpoint: `${p.listen.host}:${p.listen.port} -> ${p.upstream.host}:${p.upstream.port}` })),
        { name: `toxiproxy (embedded fake, ${toxiproxy.threadId === undefined ? 'on the main thread' : `thread ${toxiproxy.threadId}`})`, endpoint: toxiproxy.url },
      ],
      notes: [
        `mail for ${directory.domain} is delivered to ${spec.deliverTo ?? 'the main mailstore'}`,
        spec.mta?.stormProtection ? 'reply-all storm protection is on' : 'reply-all storm protection is off',
        ...(tls ? [tls.note] : []),
        ...(tokens ? ['auth: oauth2 (XOAUTH2 on submission and IMAP, Bearer on ActiveSync; passwords refused), a token per account from the directory'] : []),
      ],
    },
    endpoints,
    directory,
    ...(tokens && {
      oauthTokens: tokens,
      // mailstorm's own clients take each account's token straight from the directory
      auth: directoryTokenAuth(tokens, 'embedded'),
    }),
    routeUser: (address, mailstore) => mail.router.route(address, mailstore),
    queueDepth: () => mail.mtas.reduce((sum, mta) => sum + mta.queue.depth, 0),
    threads: toxiproxy.threadId === undefined ? 0 : 1,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

function rank(name: string): number {
  const i = PROXY_ORDER.indexOf(name);
  return i < 0 ? PROXY_ORDER.length : i;
}
