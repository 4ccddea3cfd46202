// Starts the embedded stack's mail services (mailstores with IMAP, sink, MTA and standby)
// and says where each listens; proxies are put in front of them by the provider.
import { systemClock } from '../../engine/clock.ts';
import { Directory } from '../../directory/index.ts';
import { FakeImapServer, MailStore } from '../../fakes/mailstore/index.ts';
import { FakeSink, sinkTarget } from '../../fakes/sink/index.ts';
import { FakeMta, type FakeMtaOptions, type StartedMta } from '../../fakes/smtp/fake-mta.ts';
import type { DeliveryTarget } from '../../fakes/smtp/types.ts';
import type { HostPort, StackOptions } from '../types.ts';
import { deliveryTargetOf, mailstoresOf, primaryStore } from '../common/spec-defaults.ts';
import { standbyNodeSuffixes } from '../common/standby-nodes.ts';
import type { StackTeardown } from '../common/teardown.ts';
import { RoutingTarget } from './routing-target.ts';
import type { FakeTlsOptions } from '../../fakes/tls/options.ts';
import type { TokenVerifier } from '../../directory/index.ts';

export interface MailServices {
  /** Upstreams to front with a proxy, by proxy name. */
  upstreams: Record<string, HostPort>;
  primaryImap: string;
  mtas: StartedMta[];
  /** Per-user delivery routes (a migrated mailbox's mail goes to its new store). */
  router: RoutingTarget;
}

/** `tls`: the MTAs and IMAP servers offer it (the sink, reached in process, stays cleartext); `tokens`: they take OAuth2 only. */
export async function startMailServices(options: StackOptions, directory: Directory, teardown: StackTeardown, access: { tls?: FakeTlsOptions; tokens?: TokenVerifier } = {}): Promise<MailServices> {
  const { tls, tokens } = access;
  const { spec, clock, random, metrics, ledger, events } = options;
  const wallClock = options.wallClock ?? systemClock;
  const stores = mailstoresOf(spec);
  const deliverTo = deliveryTargetOf(spec, stores);
  const upstreams: Record<string, HostPort> = {};
  const targets = new Map<string, DeliveryTarget>();

  await Promise.all(
    stores.map(async (s) => {
      const store = new MailStore({
        name: s.name,
        clock,
        random: random.fork(`mailstore:${s.name}`),
        ...(s.seedMessages && { seed: s.seedMessages }),
        ...(s.corruptShare !== undefined && { corruptShare: s.corruptShare }),
        ...(s.corruptMailboxes !== undefined && { corruptUsers: spreadUsers(directory, s.corruptMailboxes) }),
      });
      // Only MTA deliveries are arrivals; IMAP APPENDs (migration copies) are checked by their flows.
      const unsubscribe = store.onArrival((a) => {
        if (a.via === 'deliver') ledger.arrived({ id: a.id, recipient: a.recipient, at: wallClock.now(), store: s.name, ...(a.messageId !== undefined && { messageId: a.messageId }) });
      });
      teardown.add(`mailstore ${s.name}`, async () => unsubscribe());
      targets.set(s.name, { name: s.name, deliver: (recipient, message) => void store.deliver(recipient, message.raw) });
      const imap = await new FakeImapServer({ store, directory, clock, ...(tls && { tls }), ...(tokens && { tokens }) }).start();
      teardown.add(`imap ${s.name}`, () => imap.stop());
      upstreams[`imap-${s.name}`] = { host: imap.host, port: imap.port };
    }),
  );

  const [sink, sinkLmtp] = await Promise.all([
    new FakeSink({ ledger, clock: wallClock, metrics }).start(),
    new FakeSink({ ledger, clock: wallClock, metrics, lmtp: true }).start(),
  ]);
  teardown.add('sink', () => sink.stop());
  teardown.add('sink-lmtp', () => sinkLmtp.stop());
  upstreams.sink = { host: sink.host, port: sink.port };
  upstreams['sink-lmtp'] = { host: sinkLmtp.host, port: sinkLmtp.port };
  targets.set('sink', sinkTarget(sink.recorder));

  const router = new RoutingTarget(targets, deliverTo);
  // The spec's MTA part is the fake MTA's own option set (engine/mta-spec.ts): passed as is;
  // a standby of its own size overrides the sizing.
  const mtaOptions = (name: string, broken: boolean, own: StandbySizing = {}): FakeMtaOptions => ({
    ...spec.mta,
    name,
    directory,
    target: router,
    clock,
    metrics,
    ledger,
    events,
    broken,
    ...(tls && { tls }),
    ...(tokens && { tokens }),
    ...own,
  });
  const mtas: StartedMta[] = [];
  const primary = await new FakeMta(mtaOptions('mta', false)).start();
  teardown.add('mta', () => primary.stop());
  mtas.push(primary);
  upstreams.smtp = primary.relay;
  upstreams.submission = primary.submission;
  if (spec.standby?.enabled) {
    const standby = await new FakeMta(mtaOptions('mta-standby', spec.standby.broken ?? false, spec.standby.mta)).start();
    teardown.add('mta-standby', () => standby.stop());
    mtas.push(standby);
    // Every node is the same MTA behind its own proxies: a node fails when its proxies do.
    for (const suffix of standbyNodeSuffixes(spec.standby.nodes)) {
      upstreams[`smtp-standby${suffix}`] = standby.relay;
      upstreams[`submission-standby${suffix}`] = standby.submission;
    }
  }
  return { upstreams, primaryImap: `imap-${primaryStore(stores)}`, mtas, router };
}

type StandbySizing = NonNullable<NonNullable<StackOptions['spec']['standby']>['mta']>;

/** `count` users spread evenly over the population, so a success-rate gate does not depend on a draw. */
export function spreadUsers(directory: Directory, count: number): Set<string> {
  const users = new Set<string>();
  const n = Math.min(Math.max(0, Math.floor(count)), directory.userCount);
  for (let k = 0; k < n; k++) users.add(directory.addressAt(Math.floor(((k + 0.5) * directory.userCount) / n)).toLowerCase());
  return users;
}
