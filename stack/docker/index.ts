// The docker stack: real Postfix + Dovecot containers (image built from this repo), one
// Toxiproxy proxy per endpoint, and mailstorm's own directory (passwords, lockout, helpdesk;
// asked by Dovecot's auth policy hook) and ledger sink (LMTP, for delivery accounting). With
// several mailstores, one Dovecot per store, an LMTP router choosing each user's store, and
// seeded mailboxes written over IMAP (see mailbox-seeder.ts).
//
// start() runs named steps, each adding its undo to one teardown: host services, mail
// containers, resource sampling, proxies, description, seeding, queue polling. With --config
// tls, a certificate made first is copied into the containers and every endpoint carries its
// CA (see tls.ts).
import { mkdir } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { StackError, errorMessage } from '../../engine/errors.ts';
import { systemClock } from '../../engine/clock.ts';
import type { Stack, StackOptions, StackProvider } from '../types.ts';
import { buildDirectory } from '../common/directory.ts';
import { endpointsOf } from '../common/endpoints.ts';
import { mailstoresOf } from '../common/spec-defaults.ts';
import { StackTeardown } from '../common/teardown.ts';
import { applyTestcontainersDefaults } from './testcontainers-env.ts';
import { dockerAvailable } from './docker-cli.ts';
import { ensureImages } from './images.ts';
import { removeRunSync, trackForExit } from './cleanup.ts';
import { mailSettings } from './spec-settings.ts';
import { dockerConfig, type DockerStackConfig } from './config.ts';
import { QueueDepthPoller } from './queue-depth.ts';
import { sampleResources } from './container-resources.ts';
import { seedStores } from './mailbox-seeder.ts';
import type { DockerStart } from './start-context.ts';
import { startHostServices } from './host-services.ts';
import { postfixLogCollector } from './log-collector.ts';
import { startMailContainers, type MailContainers } from './mail-containers.ts';
import { startProxies } from './proxies.ts';
import { describeStack } from './describe-stack.ts';
import { dockerEndpointsTls, prepareDockerTls } from './tls.ts';
import { OAuthTokens } from '../../directory/index.ts';
import { directoryTokenAuth } from '../common/oauth.ts';

export { removeLabelled, listLabelled } from './cleanup.ts';
export { buildImages, ensureImages, MAIL_IMAGE, TOXIPROXY_IMAGE, BASE_IMAGE, mailImage, RELEASES } from './images.ts';

export const dockerProvider: StackProvider = {
  kind: 'docker',
  async start(options) {
    const overridden = applyTestcontainersDefaults();
    if (!(await dockerAvailable())) {
      throw new StackError('the docker engine is not answering: install docker.io and start dockerd (see .ci/docker-setup.sh)');
    }
    const config = dockerConfig(options.config);
    await ensureImages({ release: config.release, rebuild: config.build === 'always', ...(config.mirror !== undefined && { mirror: config.mirror }) });
    const runId = randomUUID().slice(0, 12);
    const release = trackForExit(runId);
    const teardown = new StackTeardown('the docker stack');
    // Added first, so it runs last: whatever testcontainers did not remove (a half-started container).
    teardown.add('leftovers by label', () => {
      removeRunSync(runId);
      release();
    });
    try {
      return await startStack(options, config, runId, teardown, overridden);
    } catch (error) {
      await teardown.stop().catch(() => undefined);
      if (error instanceof StackError) throw error;
      throw new StackError(`the docker stack did not start: ${errorMessage(error)}`);
    }
  },
};

async function startStack(options: StackOptions, config: DockerStackConfig, runId: string, teardown: StackTeardown, overridden: string[]): Promise<Stack> {
  await mkdir(options.logDir, { recursive: true });
  const directory = buildDirectory(options, { ...(config.domain !== undefined && { domain: config.domain }) });
  const settings = mailSettings(options.spec, directory.domain);
  const notes = [...settings.notes];
  if (overridden.length > 0) notes.push(`testcontainers settings defaulted: ${overridden.join(', ')} (no Ryuk; mailstorm removes its containers itself)`);
  const tls = await prepareDockerTls(config.tls, options.logDir);
  // auth: oauth2: the directory issues each account a token, which Dovecot checks with mailstorm.
  const tokens = config.auth === 'oauth2' ? new OAuthTokens(options.random.fork('oauth2')) : undefined;
  const s: DockerStart = { options, config, runId, teardown, directory, settings, wallClock: options.wallClock ?? systemClock, notes, ...(tls && { tls }), ...(tokens && { tokens }) };

  const host = await startHostServices(s);
  const mail = await startMailContainers(s, host);
  await sampleContainerResources(s, mail);
  const faults = await startProxies(s, host, mail);
  const description = await describeStack(s, host, mail, faults);
  await seedMailstores(s, mail);
  const poller = new QueueDepthPoller([mail.mta, ...(mail.standby ? [mail.standby] : [])]);
  poller.start();
  teardown.add('queue depth poller', () => poller.stop());

  const stop = () => teardown.stop();
  const routes = host.routes;
  return {
    description,
    endpoints: dockerEndpointsTls(endpointsOf(faults.proxies, faults.api, settings.stores[0] as string, 'the docker stack'), tls),
    directory,
    ...(tokens && { oauthTokens: tokens, auth: directoryTokenAuth(tokens, 'docker stack\'s') }),
    queueDepth: () => poller.depth,
    ...(mail.logLedgers.length > 0 && { collectDeliveries: postfixLogCollector(mail.logLedgers, options.ledger, s.wallClock, options.events) }),
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

/** Step 2b: the mail containers' CPU and memory, once a second, for capacity's resource notes. */
async function sampleContainerResources(s: DockerStart, mail: MailContainers): Promise<void> {
  const containers = [mail.mta, ...(mail.standby ? [mail.standby] : []), ...[...mail.stores.values()].filter((c) => c !== mail.mta)];
  const sampling = await sampleResources(containers.map((c) => ({ role: c.role, id: c.container.getId() })), s.options.metrics);
  s.teardown.add('resource sampling', () => sampling.stop());
  s.notes.push(sampling.note);
}

/** Step 5: seeded mailboxes written over IMAP APPEND into each store's real Dovecot. */
async function seedMailstores(s: DockerStart, mail: MailContainers): Promise<void> {
  const seeded = await seedStores(mailstoresOf(s.options.spec), {
    directory: s.directory, clock: s.options.clock, random: s.options.random, ...(s.tls && { tls: s.tls.setup }),
    ...(s.tokens && { tokenOf: (address: string) => s.tokens!.tokenFor(address) }),
    storeAt: (name) => {
      const c = mail.stores.get(name);
      return c && { imap: c.ports.imap, exec: (command: string[]) => c.exec(command) };
    },
  });
  for (const r of seeded) {
    s.notes.push(`mailstore "${r.store}": ${r.mailboxes} INBOXes seeded with ${r.messages} messages (${r.bytes} bytes) over IMAP APPEND; ${r.corrupt.length} corrupt${r.corrupt.length > 0 ? ` (${r.corrupt.slice(0, 10).join(', ')}${r.corrupt.length > 10 ? ', ...' : ''})` : ''}`);
    s.options.events.record('mailstore_seeded', { store: r.store, mailboxes: r.mailboxes, messages: r.messages, bytes: r.bytes, corrupt: r.corrupt.length });
  }
}
