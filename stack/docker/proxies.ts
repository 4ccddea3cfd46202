// Step 3 of the docker start: mailstorm's ActiveSync-style endpoint (Postfix and Dovecot
// have none; https with TLS on), then one Toxiproxy proxy in front of every endpoint.
import { FakeActiveSync } from '../../fakes/activesync/index.ts';
import type { HostPort } from '../types.ts';
import { containerName, type StartedMailContainer } from './mail-container.ts';
import { startFaultProxy, type ProxyTarget, type StartedFaultProxy } from './fault-proxy.ts';
import type { HostServices } from './host-services.ts';
import type { MailContainers } from './mail-containers.ts';
import type { DockerStart } from './start-context.ts';

export async function startProxies(s: DockerStart, host: HostServices, mail: MailContainers): Promise<StartedFaultProxy> {
  const targets = mailTargets(s, mail);
  // Mobile devices reach mailstorm's endpoint, which asks the same directory, so device
  // lockouts and IMAP lockouts share one policy. It listens on the gateway address so a
  // Toxiproxy container on the network reaches it too.
  const gateway = host.network.gateway;
  const activesync = await new FakeActiveSync({ directory: s.directory, host: gateway, ...(s.tls && { tls: s.tls.fake }), ...(s.tokens && { tokens: s.tokens }) }).start();
  s.teardown.add('activesync', () => activesync.stop());
  targets.push({ name: 'activesync', internal: `${gateway}:${activesync.port}`, published: { host: gateway, port: activesync.port } });
  const faults = await startFaultProxy({
    targets, network: host.network.started, runId: s.runId, logDir: s.options.logDir, random: s.options.random, toxiproxy: s.config.toxiproxy,
  });
  s.teardown.add('fault proxy', () => faults.stop());
  s.notes.push(faults.note);
  return faults;
}

function mailTargets(s: DockerStart, { mta, standby, stores }: MailContainers): ProxyTarget[] {
  // Implicit TLS: the submission and IMAP proxies lead to 465 and 993 (TLS passes through the proxy).
  const implicit = s.tls?.mode === 'implicit';
  const submission = (c: StartedMailContainer) => (implicit ? { internal: c.internal('submissions'), published: c.ports.submissions! } : { internal: c.internal('submission'), published: c.ports.submission });
  const imap = (c: StartedMailContainer) => (implicit ? { internal: c.internal('imaps'), published: c.ports.imaps! } : { internal: c.internal('imap'), published: c.ports.imap });
  const targets: ProxyTarget[] = [
    { name: 'smtp', internal: mta.internal('smtp'), published: mta.ports.smtp },
    { name: 'submission', ...submission(mta) },
    { name: 'imap', ...imap(mta) },
  ];
  if (standby) {
    // A broken standby answers nothing: its proxies lead to a port where nobody listens.
    const broken = s.options.spec.standby?.broken ?? false;
    const closed: HostPort = { host: '127.0.0.1', port: 9 };
    const nowhere = `${containerName(s.runId, 'mta-standby')}:9`;
    // Every node is the one standby container behind its own proxy pair: a node fails when its proxies do.
    for (const suffix of s.settings.standby?.nodeSuffixes ?? ['']) {
      targets.push(
        { name: `smtp-standby${suffix}`, internal: broken ? nowhere : standby.internal('smtp'), published: broken ? closed : standby.ports.smtp },
        { name: `submission-standby${suffix}`, ...(broken ? { internal: nowhere, published: closed } : submission(standby)) },
      );
    }
  }
  const primary = s.settings.stores[0];
  for (const [name, c] of stores) if (name !== primary) targets.push({ name: `imap-${name}`, ...imap(c) });
  return targets;
}
