// The real peers the benchmark measures against, from Debian's packages: Postfix's
// smtp-source and smtp-sink, postal, HAProxy (a relay to hold the fault proxy against),
// nginx-light and wrk (an HTTP server and the fastest HTTP load generator to hold the HTTP
// client against). Installs them when missing and makes sure no Postfix, HAProxy or nginx
// daemon the install may have started stays running.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';

export interface Peers {
  smtpSource: string;
  smtpSink: string;
  postal: string | undefined;
  haproxy: string | undefined;
  nginx: string | undefined;
  wrk: string | undefined;
  versions: Record<string, string>;
}

const DIRS = ['/usr/sbin', '/usr/lib/postfix', '/usr/lib/postfix/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin'];

function locate(name: string): string | undefined {
  return DIRS.map((d) => `${d}/${name}`).find((p) => fs.existsSync(p));
}

function packageVersion(name: string): string {
  const out = spawnSync('dpkg-query', ['-W', '-f=${Version}', name], { encoding: 'utf8' });
  return out.status === 0 ? out.stdout.trim() : 'unknown';
}

const PACKAGES = ['postfix', 'postal', 'haproxy', 'nginx-light', 'wrk'];

export function ensurePeers(log: (line: string) => void): Peers {
  if (!['smtp-source', 'smtp-sink', 'postal', 'haproxy', 'nginx', 'wrk'].every((name) => locate(name))) {
    log(`installing peers from Debian: apt-get install -y ${PACKAGES.join(' ')}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    // "No configuration": the package must not set up a mail system on this machine.
    spawnSync('debconf-set-selections', { input: "postfix postfix/main_mailer_type select No configuration\n", env });
    // Lock::Timeout: another install on the machine holds dpkg's lock for a while; wait for it.
    const install = () =>
      spawnSync('apt-get', ['install', '-y', '-o', 'DPkg::Lock::Timeout=300', '-o', 'Dpkg::Options::=--force-confold', ...PACKAGES], { env, stdio: 'ignore', timeout: 600_000 });
    if (install().status !== 0) {
      spawnSync('apt-get', ['update'], { env, stdio: 'ignore', timeout: 300_000 });
      install();
    }
    // The packages start a system HAProxy (no frontends by default) and nginx (port 80): the
    // benchmark runs its own of each.
    for (const daemon of ['haproxy', 'nginx']) {
      if (locate(daemon)) spawnSync('invoke-rc.d', [daemon, 'stop'], { env, stdio: 'ignore', timeout: 30_000 });
    }
  }
  stopPostfixDaemon(log);
  const smtpSource = locate('smtp-source');
  const smtpSink = locate('smtp-sink');
  if (!smtpSource || !smtpSink) throw new Error('smtp-source/smtp-sink not found after installing postfix');
  return {
    smtpSource,
    smtpSink,
    postal: locate('postal'),
    haproxy: locate('haproxy'),
    nginx: locate('nginx'),
    wrk: locate('wrk'),
    versions: Object.fromEntries(PACKAGES.map((name) => [name, packageVersion(name)])),
  };
}

/** A system Postfix listening on :25 would compete for CPU and ports: stop it. */
function stopPostfixDaemon(log: (line: string) => void): void {
  const status = spawnSync('postfix', ['status'], { stdio: 'ignore' });
  if (status.status === 0) {
    log('stopping the system postfix daemon the install started');
    try {
      execFileSync('postfix', ['stop'], { stdio: 'ignore' });
    } catch {
      // already stopping
    }
  }
}
