// Step 2 of the docker start: every mail container at once (the MTA, a standby, one Dovecot
// per further store), each told where to deliver and, when Postfix delivers to its own
// Dovecot, accounted from Postfix's delivery log. A standby with its own sizing gets its own
// environment, postfwd rules and delivery pacing.
import { PostfixLogLedger } from './postfix-log-ledger.ts';
import { mailImage } from './releases.ts';
import { startMailContainer, type StartedMailContainer } from './mail-container.ts';
import { mailboxesFile, virtualAliasFile } from './population-files.ts';
import type { HostServices } from './host-services.ts';
import type { DockerStart } from './start-context.ts';
import { congestionRule, postfwdRules } from './postfwd-rules.ts';
import { paceOverDestinations } from './standby-pacing.ts';
import { PolicyLog } from './policy-log.ts';

export interface MailContainers {
  mta: StartedMailContainer;
  standby?: StartedMailContainer;
  /** The store's container by store name; the primary store is the MTA's own Dovecot. */
  stores: Map<string, StartedMailContainer>;
  /** The MTAs whose deliveries are counted from Postfix's log, each with its parser. */
  logLedgers: { container: StartedMailContainer; parser: PostfixLogLedger }[];
}

export async function startMailContainers(s: DockerStart, host: HostServices): Promise<MailContainers> {
  const { options, settings, runId } = s;
  // postfwd runs only when the spec asks for what it does (storm protection, sender rate; on
  // the standby also its intake limit).
  const postfwd = postfwdRules(options.spec.mta ?? {}, s.directory);
  s.notes.push(...postfwd.notes);
  const standbyPolicy = postfwd.content + (settings.standby?.intake ? congestionRule(settings.standby.intake) : '');
  const population = [
    { content: mailboxesFile(s.directory), target: '/etc/mailstorm/mailboxes' },
    { content: virtualAliasFile(s.directory), target: '/etc/mailstorm/virtual' },
    ...(s.tls?.files ?? []),
  ];
  const filesWith = (rules: string) => [...population, ...(rules ? [{ content: rules, target: '/etc/mailstorm/postfwd.cf' }] : [])];
  const delivery = (): Record<string, string> => {
    const gateway = host.network.gateway;
    if (host.sink) return { DELIVERY: 'sink', SINK_HOST: gateway, SINK_PORT: String(host.sink.port) };
    if (host.router) return { DELIVERY: 'sink', SINK_HOST: gateway, SINK_PORT: String(host.router.port) };
    return { DELIVERY: 'dovecot' }; // one store: the MTA container's own Dovecot
  };
  // With delivery to Dovecot, arrivals are read from Postfix's log (see postfix-log-ledger.ts);
  // postfwd's rejects are counted from it whenever postfwd runs.
  const parsers = new Map<string, PostfixLogLedger>();
  const accounting = (role: string, rules: string): { onLogLine?: (line: string) => void } => {
    const policy = rules ? new PolicyLog(options.metrics, options.events, role) : undefined;
    // the sink or the router records arrivals
    const parser = host.sink || host.router ? undefined : new PostfixLogLedger(options.ledger, s.wallClock, settings.deliverTo);
    if (parser) parsers.set(role, parser);
    if (!policy && !parser) return {};
    return { onLogLine: (line) => { policy?.line(line); parser?.line(line); } };
  };
  const common = { image: mailImage(s.config.release), network: host.network.started, runId, logDir: options.logDir, implicitTls: s.tls?.mode === 'implicit' };
  const env = {
    ...settings.env, POLICY_URL: host.policy.url, POLICY_NONCE: runId, ...s.tls?.env,
    ...(host.introspection && { AUTH_MODE: 'oauth2', OAUTH2_INTROSPECTION_URL: host.introspection.url }),
  };
  // Every mail container starts at once; the MTA's LMTP target (a store) is resolved by name
  // at delivery time, so start order does not matter.
  const started = await startAll(s, [
    ...settings.stores.slice(1).map((store) => ({ role: `store-${store}`, env: { ...env, DELIVERY: 'dovecot' }, files: filesWith('') })),
    { role: 'mta', env: { ...env, ...delivery() }, files: filesWith(postfwd.content), ...accounting('mta', postfwd.content) },
    ...(settings.standby
      ? [{ role: 'mta-standby', env: { ...env, ...delivery(), ...settings.standby.env }, files: filesWith(standbyPolicy), ...accounting('mta-standby', standbyPolicy) }]
      : []),
  ].map((c) => () => startMailContainer({ ...common, ...c })));
  const byRole = new Map(started.map((c) => [c.role, c]));
  const mta = byRole.get('mta')!;
  const standby = byRole.get('mta-standby');
  if (standby && host.standbyPorts) await paceOverDestinations(standby, host.network.gateway, host.standbyPorts);
  const stores = host.stores;
  stores.set(settings.stores[0] as string, mta);
  for (const store of settings.stores.slice(1)) stores.set(store, byRole.get(`store-${store}`)!);
  const logLedgers = started.flatMap((container) => {
    const parser = parsers.get(container.role);
    return parser ? [{ container, parser }] : [];
  });
  return { mta, ...(standby && { standby }), stores, logLedgers };
}

/** Starts containers concurrently; the ones that started are stopped together at teardown, even if another failed. */
async function startAll(s: DockerStart, starts: (() => Promise<StartedMailContainer>)[]): Promise<StartedMailContainer[]> {
  const results = await Promise.allSettled(starts.map((start) => start()));
  const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  s.teardown.add('mail containers', async () => {
    await Promise.all(started.map((c) => c.stop()));
  });
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return started;
}
