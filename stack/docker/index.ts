// The docker stack: real Postfix + Dovecot containers (image built from this repo), one
// Toxiproxy proxy per endpoint, and mailstorm's own directory (passwords, lockout, helpdesk;
// asked by Dovecot's auth policy hook) and ledger sink (LMTP, for delivery accounting). With
// several mailstores, one Dovecot per store, an LMTP router choosing each user's store, and
// seeded mailboxes written over IMAP (see mailbox-seeder.ts).
import { mkdir } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { StackError, errorMessage } from '../../engine/errors.ts';
import { systemClock } from '../../engine/clock.ts';
import { Directory } from '../../directory/index.ts';
import { FakeSink, type StartedSink } from '../../fakes/sink/index.ts';
import { FakeActiveSync } from '../../fakes/activesync/index.ts';
import { DEFAULT_POPULATION } from '../embedded/spec-defaults.ts';
import { PostfixLogLedger } from './postfix-log-ledger.ts';
import type { Endpoints, HostPort, Stack, StackComponent, StackOptions, StackProvider } from '../types.ts';
import { applyTestcontainersDefaults } from './testcontainers-env.ts';
import { dockerAvailable } from './docker-cli.ts';
import { ensureImages, inspectImage, MAIL_IMAGE } from './images.ts';
import { removeRunSync, trackForExit } from './cleanup.ts';
import { createStackNetwork, type StackNetwork } from './network.ts';
import { AuthPolicyServer, type StartedAuthPolicyServer } from './auth-policy-server.ts';
import { containerName, startMailContainer, type StartedMailContainer } from './mail-container.ts';
import { startFaultProxy, type ProxyTarget, type StartedFaultProxy } from './fault-proxy.ts';
import { mailSettings } from './spec-settings.ts';
import { mailboxesFile, virtualAliasFile } from './population-files.ts';
import { dockerConfig } from './config.ts';
import { QueueDepthPoller } from './queue-depth.ts';
import { MailboxRoutes } from './mailbox-routes.ts';
import { LmtpRouter } from './lmtp-router.ts';
import { seedStores } from './mailbox-seeder.ts';
import { mailstoresOf } from '../embedded/spec-defaults.ts';

export { removeLabelled, listLabelled } from './cleanup.ts';
export { buildImages, ensureImages, MAIL_IMAGE, TOXIPROXY_IMAGE, BASE_IMAGE } from './images.ts';

export const dockerProvider: StackProvider = {
  kind: 'docker',
  async start(options) {
    const overridden = applyTestcontainersDefaults();
    if (!(await dockerAvailable())) {
      throw new StackError('the docker engine is not answering: install docker.io and start dockerd (see .ci/docker-setup.sh)');
    }
    const config = dockerConfig(options.config);
    await ensureImages({ rebuild: config.build === 'always', ...(config.mirror !== undefined && { mirror: config.mirror }) });
    const runId = randomUUID().slice(0, 12);
    const release = trackForExit(runId);
    const teardown: (() => Promise<void>)[] = [];
    const stopAll = async () => {
      // Reverse order; one failing step must not keep the rest (containers) alive.
      const errors: string[] = [];
      for (const step of teardown.reverse()) {
        try {
          await step();
        } catch (error) {
          errors.push(errorMessage(error));
        }
      }
      teardown.length = 0;
      removeRunSync(runId); // whatever testcontainers did not remove (a half-started container)
      release();
      if (errors.length > 0) throw new StackError(`stopping the docker stack: ${errors.join('; ')}`);
    };
    try {
      return await startStack(options, config, runId, teardown, stopAll, overridden);
    } catch (error) {
      await stopAll().catch(() => undefined);
      if (error instanceof StackError) throw error;
      throw new StackError(`the docker stack did not start: ${errorMessage(error)}`);
    }
  },
};

async function startStack(
  options: StackOptions,
  config: ReturnType<typeof dockerConfig>,
  runId: string,
  teardown: (() => Promise<void>)[],
  stopAll: () => Promise<void>,
  overridden: string[],
): Promise<Stack> {
  const { spec } = options;
  // Arrivals are stamped with the run's wall clock, as on the embedded stack, so delivery
  // latency stays in real milliseconds when policy time is compressed.
  const wallClock = options.wallClock ?? systemClock;
  await mkdir(options.logDir, { recursive: true });
  const directory = new Directory({
    clock: options.clock,
    random: options.random.fork('directory'),
    metrics: options.metrics,
    events: options.events,
    ...(config.domain !== undefined && { domain: config.domain }),
    population: spec.population ?? DEFAULT_POPULATION,
    ...(spec.lists && { lists: spec.lists }),
    ...(spec.lockout && { lockout: spec.lockout }),
    ...(spec.helpdesk && { helpdesk: spec.helpdesk }),
  });
  const settings = mailSettings(spec, directory.domain);
  const notes = [...settings.notes];
  if (overridden.length > 0) notes.push(`testcontainers settings defaulted: ${overridden.join(', ')} (no Ryuk; mailstorm removes its containers itself)`);

  const network: StackNetwork = await createStackNetwork(runId);
  teardown.push(() => network.stop());

  // Services on the host that the containers reach through the network's gateway address.
  const policy: StartedAuthPolicyServer = await new AuthPolicyServer({ directory, host: network.gateway, metrics: options.metrics }).start();
  teardown.push(() => policy.stop());
  let sink: StartedSink | undefined;
  if (settings.deliverTo === 'sink') {
    sink = await new FakeSink({ ledger: options.ledger, clock: wallClock, metrics: options.metrics, lmtp: true, host: network.gateway }).start();
    teardown.push(() => sink!.stop());
  }

  // Several stores: Postfix delivers to mailstorm's LMTP router, which hands each recipient's
  // mail to the Dovecot of the store the user lives on at that moment (see lmtp-router.ts).
  const stores = new Map<string, StartedMailContainer>();
  const routes = settings.deliverTo !== 'sink' && settings.stores.length > 1 ? new MailboxRoutes(settings.stores, settings.deliverTo) : undefined;
  let router: { port: number } | undefined;
  if (routes) {
    const started = await new LmtpRouter({
      routes, ledger: options.ledger, clock: wallClock, metrics: options.metrics, host: network.gateway,
      storeAt: (store) => stores.get(store)?.ports.lmtp,
    }).start();
    teardown.push(() => started.stop());
    router = started;
  }

  const files = [
    { content: mailboxesFile(directory), target: '/etc/mailstorm/mailboxes' },
    { content: virtualAliasFile(directory), target: '/etc/mailstorm/virtual' },
  ];
  const primary = settings.stores[0] as string;
  const delivery = (): Record<string, string> => {
    if (settings.deliverTo === 'sink') return { DELIVERY: 'sink', SINK_HOST: network.gateway, SINK_PORT: String(sink!.port) };
    if (router) return { DELIVERY: 'sink', SINK_HOST: network.gateway, SINK_PORT: String(router.port) };
    return { DELIVERY: 'dovecot' }; // one store: the MTA container's own Dovecot
  };
  // With delivery to Dovecot, arrivals are read from Postfix's log (see postfix-log-ledger.ts).
  const accounting = (): { onLogLine?: (line: string) => void } => {
    if (settings.deliverTo === 'sink' || router) return {}; // the sink or the router records arrivals
    const parser = new PostfixLogLedger(options.ledger, wallClock, settings.deliverTo);
    return { onLogLine: (line) => parser.line(line) };
  };
  const common = { image: MAIL_IMAGE, network: network.started, runId, files, logDir: options.logDir };
  const env = { ...settings.env, POLICY_URL: policy.url, POLICY_NONCE: runId };
  // Every mail container starts at once; the MTA's LMTP target (a store) is resolved by name
  // at delivery time, so start order does not matter.
  const started = await startAll([
    ...settings.stores.slice(1).map((store) => ({ role: `store-${store}`, env: { ...env, DELIVERY: 'dovecot' } })),
    { role: 'mta', env: { ...env, ...delivery() }, ...accounting() },
    ...(spec.standby?.enabled ? [{ role: 'mta-standby', env: { ...env, ...delivery() }, ...accounting() }] : []),
  ].map((c) => () => startMailContainer({ ...common, ...c })), teardown);
  const byRole = new Map(started.map((c) => [c.role, c]));
  const mta = byRole.get('mta')!;
  const standby = byRole.get('mta-standby');
  stores.set(primary, mta);
  for (const store of settings.stores.slice(1)) stores.set(store, byRole.get(`store-${store}`)!);

  const targets: ProxyTarget[] = [
    { name: 'smtp', internal: mta.internal('smtp'), published: mta.ports.smtp },
    { name: 'submission', internal: mta.internal('submission'), published: mta.ports.submission },
    { name: 'imap', internal: mta.internal('imap'), published: mta.ports.imap },
  ];
  if (standby) {
    // A broken standby answers nothing: its proxies lead to a port where nobody listens.
    const closed: HostPort = { host: '127.0.0.1', port: 9 };
    const up = (p: HostPort) => (spec.standby?.broken ? closed : p);
    targets.push(
      { name: 'smtp-standby', internal: spec.standby?.broken ? `${containerName(runId, 'mta-standby')}:9` : standby.internal('smtp'), published: up(standby.ports.smtp) },
      { name: 'submission-standby', internal: spec.standby?.broken ? `${containerName(runId, 'mta-standby')}:9` : standby.internal('submission'), published: up(standby.ports.submission) },
    );
  }
  for (const [name, c] of stores) if (name !== primary) targets.push({ name: `imap-${name}`, internal: c.internal('imap'), published: c.ports.imap });
  // Postfix and Dovecot do not speak ActiveSync: mobile devices reach mailstorm's endpoint,
  // which asks the same directory, so device lockouts and IMAP lockouts share one policy.
  // It listens on the gateway address so a Toxiproxy container on the network reaches it too.
  const activesync = await new FakeActiveSync({ directory, host: network.gateway }).start();
  teardown.push(() => activesync.stop());
  targets.push({ name: 'activesync', internal: `${network.gateway}:${activesync.port}`, published: { host: network.gateway, port: activesync.port } });
  const faults: StartedFaultProxy = await startFaultProxy({
    targets, network: network.started, runId, logDir: options.logDir, random: options.random, toxiproxy: config.toxiproxy,
  });
  teardown.push(() => faults.stop());
  notes.push(faults.note);

  const proxy = (name: string): HostPort => {
    const p = faults.proxies[name];
    if (!p) throw new StackError(`the docker stack has no "${name}" proxy`);
    return p.listen;
  };
  const extra: Record<string, HostPort> = { [`imap-${primary}`]: proxy('imap') };
  for (const name of Object.keys(faults.proxies)) if (name.startsWith('imap-') || name.endsWith('-standby')) extra[name] = proxy(name);
  const endpoints: Endpoints = {
    smtp: proxy('smtp'),
    submission: proxy('submission'),
    imap: proxy('imap'),
    activesync: `http://${proxy('activesync').host}:${proxy('activesync').port}`,
    toxiproxy: faults.api,
    proxies: faults.proxies,
    extra,
  };

  const components = await describeComponents(mta, faults.component, policy, sink);
  notes.push(
    'real: Postfix (relay, submission, queue, list expansion) and Dovecot (IMAP, LMTP, SASL) in containers',
    `mailstorm's: directory (passwords, lockout policy "${spec.lockout?.policy ?? 'ad'}", helpdesk) answering Dovecot's auth_policy_server_url`,
    settings.deliverTo === 'sink'
      ? "Postfix delivers over LMTP to mailstorm's ledger sink on the host"
      : routes
        ? `mailstorm's: LMTP router between Postfix and the stores' Dovecot (${settings.stores.join(', ')}; default "${settings.deliverTo}"), choosing each recipient's store at delivery (Stack.routeUser); arrivals are accounted when Dovecot accepts`
        : `Postfix delivers to Dovecot (store "${settings.deliverTo}"); arrivals are accounted from Postfix's delivery log`,
    "mailstorm's: ActiveSync-style endpoint on the host (Postfix and Dovecot have none), asking the same directory",
  );
  if (standby) notes.push('two MTA containers: mta (primary) and mta-standby');

  const seeded = await seedStores(mailstoresOf(spec), {
    directory, clock: options.clock, random: options.random,
    storeAt: (name) => {
      const c = stores.get(name);
      return c && { imap: c.ports.imap, exec: (command: string[]) => c.exec(command) };
    },
  });
  for (const r of seeded) {
    notes.push(`mailstore "${r.store}": ${r.mailboxes} INBOXes seeded with ${r.messages} messages (${r.bytes} bytes) over IMAP APPEND; ${r.corrupt.length} corrupt${r.corrupt.length > 0 ? ` (${r.corrupt.slice(0, 10).join(', ')}${r.corrupt.length > 10 ? ', ...' : ''})` : ''}`);
    options.events.record('mailstore_seeded', { store: r.store, mailboxes: r.mailboxes, messages: r.messages, bytes: r.bytes, corrupt: r.corrupt.length });
  }

  const poller = new QueueDepthPoller([mta, ...(standby ? [standby] : [])]);
  poller.start();
  teardown.push(async () => poller.stop());

  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= stopAll());
  return {
    description: { kind: 'docker', components, notes },
    endpoints,
    directory,
    queueDepth: () => poller.depth,
    // The route applies to the next delivery at once; the promise settles when deliveries the
    // old store was already committing for the user are answered (see mailbox-routes.ts).
    ...(routes && {
      routeUser: (address: string, store: string) => {
        routes.route(address, store);
        return routes.settled(address);
      },
    }),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

/** Starts containers concurrently; the ones that started are stopped together at teardown, even if another failed. */
async function startAll(starts: (() => Promise<StartedMailContainer>)[], teardown: (() => Promise<void>)[]): Promise<StartedMailContainer[]> {
  const results = await Promise.allSettled(starts.map((start) => start()));
  const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  teardown.push(async () => {
    await Promise.all(started.map((c) => c.stop()));
  });
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return started;
}

async function describeComponents(
  mta: StartedMailContainer,
  toxiproxy: StackComponent,
  policy: StartedAuthPolicyServer,
  sink: StartedSink | undefined,
): Promise<StackComponent[]> {
  const image = await inspectImage(MAIL_IMAGE);
  const postfix = (await mta.exec(['postconf', '-h', 'mail_version'])).trim();
  const dovecot = (await mta.exec(['dovecot', '--version'])).trim();
  const base = { image: MAIL_IMAGE, digest: image.digest };
  return [
    { name: 'postfix', version: postfix, ...base, endpoint: `${mta.ports.smtp.host}:${mta.ports.smtp.port}` },
    { name: 'dovecot', version: dovecot, ...base, endpoint: `${mta.ports.imap.host}:${mta.ports.imap.port}` },
    toxiproxy,
    { name: 'directory', version: 'mailstorm', endpoint: policy.url },
    ...(sink ? [{ name: 'ledger-sink', version: 'mailstorm (LMTP)', endpoint: `${sink.host}:${sink.port}` }] : []),
  ];
}
