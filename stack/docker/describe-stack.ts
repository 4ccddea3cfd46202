// Step 4 of the docker start: what the report says the stack is: component versions read
// from the running containers, and notes on what is real and what is mailstorm's.
import type { StackComponent, StackDescription } from '../types.ts';
import { inspectImage, mailImage } from './images.ts';
import type { StartedFaultProxy } from './fault-proxy.ts';
import type { HostServices } from './host-services.ts';
import type { MailContainers } from './mail-containers.ts';
import type { DockerStart } from './start-context.ts';

export async function describeStack(s: DockerStart, host: HostServices, mail: MailContainers, faults: StartedFaultProxy): Promise<StackDescription> {
  const { settings, notes } = s;
  notes.push(
    `Debian ${s.config.release} mail image (${mailImage(s.config.release)}); docker config release: bookworm | trixie`,
    'real: Postfix (relay, submission, queue, list expansion) and Dovecot (IMAP, LMTP, SASL) in containers',
    `mailstorm's: directory (passwords, lockout policy "${s.options.spec.lockout?.policy ?? 'ad'}", helpdesk) answering Dovecot's auth_policy_server_url`,
    settings.deliverTo === 'sink'
      ? "Postfix delivers over LMTP to mailstorm's ledger sink on the host"
      : host.routes
        ? `mailstorm's: LMTP router between Postfix and the stores' Dovecot (${settings.stores.join(', ')}; default "${settings.deliverTo}"), choosing each recipient's store at delivery (Stack.routeUser); arrivals are accounted when Dovecot accepts`
        : `Postfix delivers to Dovecot (store "${settings.deliverTo}"); arrivals are accounted from Postfix's delivery log`,
    "mailstorm's: ActiveSync-style endpoint on the host (Postfix and Dovecot have none), asking the same directory",
  );
  notes.push(s.tls ? s.tls.note : 'TLS: none (docker config tls: none); every endpoint is cleartext');
  if (host.introspection) {
    notes.push(
      `auth: oauth2: real Dovecot oauth2 passdb (SASL XOAUTH2 and OAUTHBEARER on IMAP, and on submission through Postfix's Dovecot SASL; passwords refused) asking mailstorm's token introspection endpoint (${host.introspection.url}); mailstorm's: the identity provider (a token per account from the directory), Bearer on ActiveSync`,
      "auth: oauth2: the lockout policy is not asked (Dovecot's auth policy hook judges passwords), so token logins never lock an account",
    );
  }
  if (mail.standby) {
    const nodes = settings.standby?.nodeSuffixes.length ?? 1;
    notes.push(`two MTA containers: mta (primary) and mta-standby${nodes > 1 ? ` (the standby platform's ${nodes} nodes, each behind its own proxies)` : ''}`);
  }
  return { kind: 'docker', components: await components(s, host, mail, faults), notes };
}

async function components(s: DockerStart, host: HostServices, { mta }: MailContainers, faults: StartedFaultProxy): Promise<StackComponent[]> {
  const name = mailImage(s.config.release);
  const image = await inspectImage(name);
  const postfix = (await mta.exec(['postconf', '-h', 'mail_version'])).trim();
  const dovecot = (await mta.exec(['dovecot', '--version'])).trim();
  const debian = (await mta.exec(['cat', '/etc/debian_version'])).trim();
  const base = { image: name, digest: image.digest };
  const sink = host.sink;
  return [
    { name: 'debian', version: `${s.config.release} ${debian}`, ...base },
    { name: 'postfix', version: postfix, ...base, endpoint: `${mta.ports.smtp.host}:${mta.ports.smtp.port}` },
    { name: 'dovecot', version: dovecot, ...base, endpoint: `${mta.ports.imap.host}:${mta.ports.imap.port}` },
    faults.component,
    { name: 'directory', version: 'mailstorm', endpoint: host.policy.url },
    ...(sink ? [{ name: 'ledger-sink', version: 'mailstorm (LMTP)', endpoint: `${sink.host}:${sink.port}` }] : []),
  ];
}
