// Both Debian releases of the mail image side by side: the trixie stack (Postfix 3.10,
// Dovecot 2.4 and its new configuration syntax) starts and passes smoke; a configuration
// Dovecot cannot parse stops the start with Dovecot's own message; and `compare` of a
// bookworm and a trixie smoke run names both sides' versions.
import test from 'ava';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { applyTestcontainersDefaults } from '../../stack/docker/testcontainers-env.ts';
import { createStackNetwork } from '../../stack/docker/network.ts';
import { startMailContainer } from '../../stack/docker/mail-container.ts';
import { removeRunSync } from '../../stack/docker/cleanup.ts';
import { mailImage } from '../../stack/docker/releases.ts';
import { imagesReady, leftovers } from './helpers.ts';

const CLI = fileURLToPath(new URL('../../bin/mailstorm.js', import.meta.url));
const BOOKWORM_DOVECOT_CONF = fileURLToPath(new URL('../../stack/docker/mail/dovecot/bookworm/dovecot.conf', import.meta.url));

interface Result {
  verdict: string;
  ledger: { delivered: number; lost: number };
  stack: { kind: string; components: { name: string; version?: string; image?: string }[]; notes: string[] };
}

function cli(args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

async function smoke(release: string): Promise<{ code: number | null; out: string; result: Result }> {
  const dir = await mkdtemp(join(tmpdir(), `mailstorm-release-${release}-`));
  const config = join(dir, 'stack.yaml');
  await writeFile(config, `release: ${release}\n`);
  const out = join(dir, 'run');
  // The containers share the 2 cores with the harness: the rig's CPU-wait and lag limits are
  // lifted so a busy machine does not make the comparison inconclusive.
  const { code } = await cli(['run', 'smoke', '--stack', 'docker', '--config', config, '-q', '--out', out, '--rig-limit', 'cpuWaitShare=none', '--rig-limit', 'replayLagP95Ms=none']);
  return { code, out, result: JSON.parse(await readFile(join(out, 'result.json'), 'utf8')) as Result };
}

const version = (r: Result, name: string) => r.stack.components.find((c) => c.name === name)?.version ?? '';

test.before(async () => {
  await imagesReady();
});

test.after.always('no container or network labelled mailstorm is left', async (t) => {
  t.deepEqual(await leftovers(), []);
});

test('a Dovecot configuration that does not parse stops the start with Dovecot\'s message', async (t) => {
  applyTestcontainersDefaults();
  const runId = `t${randomUUID().slice(0, 11)}`;
  const network = await createStackNetwork(runId);
  try {
    // bookworm's Dovecot 2.3 file in the trixie image: exactly the upgrade risk of Dovecot 2.4.
    const error = await t.throwsAsync(startMailContainer({
      image: mailImage('trixie'), network: network.started, role: 'mta', runId, env: {}, logDir: await mkdtemp(join(tmpdir(), 'mailstorm-badconf-')),
      files: [{ content: await readFile(BOOKWORM_DOVECOT_CONF, 'utf8'), target: '/etc/dovecot/dovecot.conf' }],
    }));
    t.regex(error?.message ?? '', /the mta container \(mailstorm\/mail:trixie-[0-9a-f]{12}\) did not start/);
    t.regex(error?.message ?? '', /Dovecot 2\.4\.\d.* cannot parse its configuration: .*dovecot_config_version/);
  } finally {
    // the failed container and the network, by their run label
    removeRunSync(runId);
  }
});

test('trixie and bookworm pass smoke side by side; compare names both versions', async (t) => {
  const trixie = await smoke('trixie');
  t.is(trixie.code, 0);
  t.is(trixie.result.verdict, 'pass');
  t.true(trixie.result.ledger.delivered > 0);
  t.is(trixie.result.ledger.lost, 0);
  t.regex(version(trixie.result, 'postfix'), /^3\.10\.\d+$/);
  t.regex(version(trixie.result, 'dovecot'), /^2\.4\.\d/);
  t.regex(version(trixie.result, 'debian'), /^trixie 13\.\d+/);
  t.is(trixie.result.stack.components.find((c) => c.name === 'postfix')?.image, mailImage('trixie'));

  const bookworm = await smoke('bookworm');
  t.is(bookworm.code, 0);
  t.regex(version(bookworm.result, 'postfix'), /^3\.7\.\d+$/);
  t.regex(version(bookworm.result, 'dovecot'), /^2\.3\.\d/);
  t.regex(version(bookworm.result, 'debian'), /^bookworm 12\.\d+/);

  const cmp = await cli(['compare', bookworm.out, trixie.out, '--out', await mkdtemp(join(tmpdir(), 'mailstorm-release-cmp-'))]);
  t.log(cmp.stdout.split('\n').filter((l) => l.includes('version')).join('\n'));
  const row = (name: string) => new RegExp(`${name} version\\s+${version(bookworm.result, name).replace(/[().]/g, '\\$&')}\\s+${version(trixie.result, name).replace(/[().]/g, '\\$&')}\\s+changed`);
  t.regex(cmp.stdout, row('postfix'));
  t.regex(cmp.stdout, row('dovecot'));
  t.regex(cmp.stdout, row('debian'));
  t.not(cmp.code, 2, 'compare read both runs');
});
