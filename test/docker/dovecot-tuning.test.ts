// The Dovecot settings a migration needs are live on both releases: login processes serving
// many connections and imap processes reused across sessions (2.3's service_count, 2.4's
// restart_request_count), and no fsync for IMAP sessions while LMTP keeps it; read back from
// Dovecot's own configuration dump and seen in its log, where 20 logins one after the other
// are served by a handful of imap processes.
import test from 'ava';
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { applyTestcontainersDefaults } from '../../stack/docker/testcontainers-env.ts';
import { createStackNetwork } from '../../stack/docker/network.ts';
import { startMailContainer } from '../../stack/docker/mail-container.ts';
import { removeRunSync } from '../../stack/docker/cleanup.ts';
import { mailImage, type Release } from '../../stack/docker/releases.ts';
import { imagesReady, leftovers } from './helpers.ts';

const LOGINS = 20;
const SETTING = { bookworm: 'service_count', trixie: 'restart_request_count' } as const;

test.before(async () => {
  await imagesReady();
});

test.after.always('no container or network labelled mailstorm is left', async (t) => {
  t.deepEqual(await leftovers(), []);
});

/** The block `<kind> <name> { ... }` of `doveconf -n`. */
function block(conf: string, kind: string, name: string): string {
  return new RegExp(`^${kind} ${name} \\{\\n([\\s\\S]*?)^\\}`, 'm').exec(conf)?.[1] ?? '';
}
const serviceBlock = (conf: string, name: string) => block(conf, 'service', name);
const protocolBlock = (conf: string, name: string) => block(conf, 'protocol', name);

for (const release of ['bookworm', 'trixie'] as const satisfies readonly Release[]) {
  test(`${release}: login and imap processes are reused, IMAP skips fsync and LMTP keeps it, and ${LOGINS} logins in a row run in a few imap processes`, async (t) => {
    applyTestcontainersDefaults();
    const runId = `t${randomUUID().slice(0, 11)}`;
    const network = await createStackNetwork(runId);
    try {
      const mail = await startMailContainer({
        image: mailImage(release), network: network.started, role: 'mta', runId, env: {}, logDir: await mkdtemp(join(tmpdir(), 'mailstorm-tuning-')),
        files: [{ content: 'mover@mailstorm.test:{PLAIN}secret\n', target: '/etc/mailstorm/passwd' }],
      });
      try {
        const conf = await mail.exec(['doveconf', '-n']);
        const setting = SETTING[release];
        t.regex(serviceBlock(conf, 'imap-login'), new RegExp(`${setting} = (0|unlimited)\\n`));
        t.regex(serviceBlock(conf, 'imap'), new RegExp(`${setting} = 100\\n`));
        t.regex(serviceBlock(conf, 'imap'), /process_min_avail = 4\n/);
        // IMAP (the mover's APPENDs) skips fsync; LMTP (new mail) keeps the default.
        t.regex(protocolBlock(conf, 'imap'), /mail_fsync = never\n/);
        t.notRegex(protocolBlock(conf, 'lmtp'), /mail_fsync/);
        t.notRegex(conf.replace(/^protocol imap \{[\s\S]*?^\}/m, ''), /mail_fsync = never/);
        for (let i = 0; i < LOGINS; i++) {
          const client = new ImapFlow({ ...mail.ports.imap, secure: false, auth: { user: 'mover@mailstorm.test', pass: 'secret' }, logger: false, disableAutoIdle: true });
          await client.connect();
          await client.logout();
        }
        // imap-login names the imap process each login was handed to (mpid=).
        const log = await mail.exec(['cat', '/var/log/dovecot.log']);
        const mpids = [...log.matchAll(/mpid=(\d+)/g)].map((m) => m[1]);
        t.is(mpids.length, LOGINS);
        const processes = new Set(mpids).size;
        t.log(`${release}: ${LOGINS} logins served by ${processes} imap processes`);
        // One process per login without reuse; with it, the few kept started take turns.
        t.true(processes <= LOGINS / 2, `${processes} imap processes for ${LOGINS} logins`);
      } finally {
        await mail.stop();
      }
    } finally {
      await network.stop().catch(() => undefined);
      removeRunSync(runId);
    }
  });
}
