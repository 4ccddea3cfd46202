// Step 1 of the docker start: the stack's network and mailstorm's services on the host that
// the containers reach through the network's gateway address (auth policy, ledger sink, with
// several stores the LMTP router choosing each user's store, with OAuth2 token introspection).
import { FakeSink, type StartedSink } from '../../fakes/sink/index.ts';
import { AuthPolicyServer, type StartedAuthPolicyServer } from './auth-policy-server.ts';
import { TokenIntrospectionServer, type StartedIntrospectionServer } from './token-introspection-server.ts';
import { createStackNetwork, type StackNetwork } from './network.ts';
import { MailboxRoutes } from './mailbox-routes.ts';
import { LmtpRouter } from './lmtp-router.ts';
import type { StartedMailContainer } from './mail-container.ts';
import type { DockerStart } from './start-context.ts';

export interface HostServices {
  network: StackNetwork;
  policy: StartedAuthPolicyServer;
  /** With auth: oauth2, where Dovecot's oauth2 passdb asks about a token. */
  introspection?: StartedIntrospectionServer;
  /** When mail goes to the ledger sink. */
  sink?: StartedSink;
  /** With several stores: where each user's mail goes, and the router applying it. */
  routes?: MailboxRoutes;
  router?: { port: number };
  /**
   * The standby's LMTP destinations (ports on the gateway) when Postfix paces it over several
   * (see standby-settings.ts): the sink's or router's own port, then listeners opened for it.
   */
  standbyPorts?: number[];
  /** Mail containers by store name; filled when they start, read by the router at delivery. */
  stores: Map<string, StartedMailContainer>;
}

export async function startHostServices(s: DockerStart): Promise<HostServices> {
  const { options, settings, teardown } = s;
  const network = await createStackNetwork(s.runId);
  teardown.add('network', () => network.stop());
  const policy = await new AuthPolicyServer({ directory: s.directory, host: network.gateway, metrics: options.metrics }).start();
  teardown.add('auth policy server', () => policy.stop());
  const host: HostServices = { network, policy, stores: new Map() };
  if (s.tokens) {
    const introspection = await new TokenIntrospectionServer({ tokens: s.tokens, host: network.gateway }).start();
    teardown.add('token introspection', () => introspection.stop());
    host.introspection = introspection;
  }
  // Opens one more listener of what Postfix delivers to (the standby may need several).
  let listen: (() => Promise<number>) | undefined;
  if (settings.deliverTo === 'sink') {
    const sinkOptions = { ledger: options.ledger, clock: s.wallClock, metrics: options.metrics, lmtp: true, host: network.gateway };
    const startSink = async () => {
      const sink = await new FakeSink(sinkOptions).start();
      teardown.add('ledger sink', () => sink.stop());
      return sink;
    };
    host.sink = await startSink();
    listen = async () => (await startSink()).port;
  }
  // Several stores: Postfix delivers to mailstorm's LMTP router, which hands each recipient's
  // mail to the Dovecot of the store the user lives on at that moment (see lmtp-router.ts).
  if (settings.deliverTo !== 'sink' && settings.stores.length > 1) {
    const routes = new MailboxRoutes(settings.stores, settings.deliverTo);
    const router = new LmtpRouter({
      routes, ledger: options.ledger, clock: s.wallClock, metrics: options.metrics, host: network.gateway,
      storeAt: (store) => host.stores.get(store)?.ports.lmtp,
    });
    const startRouter = async () => {
      const started = await router.start();
      teardown.add('lmtp router', () => started.stop());
      return started.port;
    };
    host.routes = routes;
    host.router = { port: await startRouter() };
    listen = startRouter;
  }
  const destinations = settings.standby?.destinations ?? 1;
  const first = host.router ?? host.sink;
  if (destinations > 1 && first && listen) {
    host.standbyPorts = [first.port];
    for (let i = 1; i < destinations; i++) host.standbyPorts.push(await listen());
  }
  return host;
}
