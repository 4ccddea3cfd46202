// A stack someone else runs, located by --config. Nothing is started or stopped; only
// endpoints the config names are used, and reading any other is a StackError. Every
// endpoint is checked against the config's allow-list before the run sends anything;
// host:port endpoints are then pinned to the address that passed, and HTTP connections
// resolve through the list, so a name that changes mid-run cannot move the load.
// Deliveries are counted as the config's reconcile says (reading the mailboxes over IMAP, or
// mailstorm's sink the platform routes a test domain to); without it they are not seen.
import { isIP } from 'node:net';
import path from 'node:path';
import type { TlsSettings } from '../../engine/endpoints.ts';
import { StackError } from '../../engine/errors.ts';
import type { Endpoints, HostPort, Stack, StackOptions, StackProvider, StackSpec } from '../types.ts';
import { httpEndpointOf, imapReconcileSettings, parseRemoteConfig, type RemoteConfig } from './config.ts';
import { remoteTls } from './tls.ts';
import { systemClock } from '../../engine/clock.ts';
import { formatDuration } from '../../engine/duration.ts';
import { ImapReconcile } from './imap-reconcile.ts';
import { FakeSink, type StartedSink } from '../../fakes/sink/index.ts';
import type { PopulationFile } from '../../directory/population-file.ts';
import type { ClientAuth } from '../../engine/clients/auth/types.ts';
import { AllowList, systemResolver, type Resolver } from './allow-list.ts';
import { AccountsDirectory, readPopulationFile } from '../../directory/index.ts';
import { buildRemoteAuth } from './auth.ts';

/** Why the ledger's gates cannot be judged on a remote stack. */
export const DELIVERIES_UNSEEN = 'a remote platform\'s deliveries are not seen by mailstorm (it does not own the mailstores), so lost, duplicated and delivered mail cannot be counted; this gate is not judged'

function missing(name: string): never {
  throw new StackError(`the remote stack config names no "${name}" endpoint, and this scenario needs it`);
}

/** Spec fields a remote stack cannot apply: its owner configures them. */
function unappliedNotes(spec: StackSpec): string[] {
  return Object.keys(spec).filter((k) => spec[k as keyof StackSpec] !== undefined)
    .map((k) => `spec.${k} not applied: a remote stack is configured by its owner`);
}

interface Checked {
  endpoints: Endpoints;
  /** "submission smtp.test.example:587 -> 192.0.2.10" for the stack's description */
  components: { name: string; endpoint: string }[];
}

async function checkEndpoints(c: RemoteConfig, allow: AllowList, tls: Record<string, TlsSettings>): Promise<Checked> {
  const components: Checked['components'] = [];
  const pin = async (name: string, hp: HostPort): Promise<HostPort> => {
    const [first] = await allow.check(hp.host, `--config: ${name} ${hp.host}`);
    // Pinned to an address, the client must still check the certificate against the name configured.
    const settings = tls[name.replace(/^extra\./, '')];
    if (settings && settings.servername === undefined && isIP(hp.host) === 0) settings.servername = hp.host;
    components.push({ name, endpoint: `${hp.host}:${hp.port}${first!.address === hp.host ? '' : ` -> ${first!.address}`}` });
    return { host: first!.address, port: hp.port };
  };
  const url = async (name: string, value: string): Promise<string> => {
    await allow.check(new URL(value).hostname.replace(/^\[|\]$/g, ''), `--config: ${name} ${value}`);
    components.push({ name, endpoint: value });
    return value;
  };
  const smtp = c.smtp && await pin('smtp', c.smtp);
  const submission = c.submission && await pin('submission', c.submission);
  const imap = c.imap && await pin('imap', c.imap);
  const activesync = c.activesync && await url('activesync', httpEndpointOf(c.activesync).url);
  const toxiproxy = c.toxiproxy && await url('toxiproxy', c.toxiproxy);
  const proxies: Endpoints['proxies'] = {};
  for (const [name, p] of Object.entries(c.proxies ?? {})) {
    proxies[name] = { name, listen: await pin(`proxies.${name}.listen`, p.listen), upstream: await pin(`proxies.${name}.upstream`, p.upstream) };
  }
  const extra: Record<string, HostPort> = {};
  for (const [name, hp] of Object.entries(c.extra ?? {})) extra[name] = await pin(`extra.${name}`, hp);
  const endpoints = {
    get smtp(): HostPort { return smtp ?? missing('smtp'); },
    get submission(): HostPort { return submission ?? missing('submission'); },
    get imap(): HostPort { return imap ?? missing('imap'); },
    get activesync(): string { return activesync ?? missing('activesync'); },
    get toxiproxy(): string { return toxiproxy ?? missing('toxiproxy'); },
    proxies,
    extra,
    tls,
  } satisfies Endpoints;
  return { endpoints, components };
}

interface Counting {
  notes: string[];
  components: { name: string; endpoint: string }[];
  collector?: ImapReconcile;
  sink?: StartedSink;
}

/** Sets up the config's way of counting deliveries; none: the ledger's gates are not judged. */
async function startCounting(c: RemoteConfig, endpoints: Endpoints, population: PopulationFile | undefined, options: StackOptions, auth: ClientAuth | undefined): Promise<Counting> {
  const clock = options.wallClock ?? systemClock;
  const settings = imapReconcileSettings(c);
  if (settings && population) {
    const collector = new ImapReconcile({ accounts: population.accounts, endpoints, ledger: options.ledger, clock, events: options.events, settings, ...(auth && { auth }) });
    await collector.baseline();
    const unreadable = [...collector.unreadable].map(([mailbox, why]) => `${mailbox} (${why})`);
    return {
      collector,
      components: [],
      notes: [
        `deliveries counted by reading ${population.accounts.length} mailboxes over IMAP (folders ${settings.folders.join(', ')}; every ${formatDuration(settings.intervalMs)} for up to ${settings.timeoutMs === undefined ? 'the scenario\'s drain timeout' : formatDuration(settings.timeoutMs)}; arrival time = INTERNALDATE; found test messages ${settings.delete ? 'deleted afterwards' : 'left in place'})`,
        ...(unreadable.length ? [`mailboxes that could not be read, their mail counted as unverified: ${unreadable.join(', ')}`] : []),
      ],
    };
  }
  const listen = c.reconcile?.sink?.listen;
  if (listen) {
    let sink: StartedSink;
    try {
      sink = await new FakeSink({ ledger: options.ledger, clock, metrics: options.metrics, host: listen.host, port: listen.port }).start();
    } catch (error) {
      throw new StackError(`--config: reconcile.sink.listen ${listen.host}:${listen.port}: mailstorm's sink cannot listen there (${(error as Error).message})`);
    }
    return {
      sink,
      components: [{ name: 'sink', endpoint: `${sink.host}:${sink.port}` }],
      notes: [`deliveries counted by mailstorm's sink at ${sink.host}:${sink.port}, to which the platform routes the test domain`],
    };
  }
  return { components: [], notes: [] };
}

/** The remote provider, resolving names with `resolve` (tests inject one). */
export function createRemoteProvider(resolve: Resolver = systemResolver): StackProvider {
  return {
    kind: 'remote',
    async start(options) {
      if (!options.config) throw new StackError('the remote stack needs --config naming its endpoints');
      const c = parseRemoteConfig(options.config);
      const tls = remoteTls(c);
      const allow = await AllowList.build(c.allow ?? [], resolve, '--config');
      const { endpoints, components } = await checkEndpoints(c, allow, tls.tls);
      const population = c.population === undefined ? undefined : readPopulationFile(path.resolve(c.population));
      const directory = population && new AccountsDirectory(population.accounts, population.lists);
      const auth = await buildRemoteAuth(c.auth, population?.accounts ?? [], process.cwd());
      const counting = await startCounting(c, endpoints, population, options, auth);
      const stopSink = async () => { await counting.sink?.stop(); };
      const stack: Stack = {
        description: {
          kind: 'remote',
          components: [...components, ...counting.components],
          notes: [...(c.description ? [c.description] : []), `allow-list: ${(c.allow ?? []).join(', ')}`, ...tls.notes, ...(population ? [`population: ${population.accounts.length} test accounts, ${Object.keys(population.lists).length} lists from ${path.resolve(c.population!)}`] : []), ...(c.killSwitch !== undefined ? [`kill switch: ${path.resolve(c.killSwitch)}`] : []), ...(auth ? [`auth: ${auth.summary}`] : []), ...(counting.notes.length ? counting.notes : [`deliveries not counted (no reconcile in the config): ${DELIVERIES_UNSEEN}`]), ...unappliedNotes(options.spec)],
        },
        endpoints,
        ...(directory && { directory }),
        ...(auth && { auth }),
        ...(counting.collector && { collectDeliveries: counting.collector }),
        ...(!counting.collector && !counting.sink && { deliveriesUnseen: DELIVERIES_UNSEEN }),
        lookup: allow.lookup(),
        ...(c.killSwitch !== undefined && { killSwitch: path.resolve(c.killSwitch) }),
        queueDepth: () => undefined,
        stop: stopSink,
        [Symbol.asyncDispose]: stopSink,
      };
      return stack;
    },
  };
}

export const remoteProvider = createRemoteProvider();
