// The real peers the benchmark measures against, from Debian's packages: Postfix's
// smtp-source and smtp-sink, and postal. Installs them when missing and makes sure no
// Postfix daemon the install may have started stays listening on port 25.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';

export interface Peers {
  smtpSource: string;
  smtpSink: string;
  postal: string | undefined;
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

export function ensurePeers(log: (line: string) => void): Peers {
  if (!locate('smtp-source') || !locate('smtp-sink') || !locate('postal')) {
    log('installing peers from Debian: apt-get install -y postfix postal');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    // "No configuration": the package must not set up a mail system on this machine.
    spawnSync('debconf-set-selections', { input: "postfix postfix/main_mailer_type select No configuration\n", env });
    const apt = spawnSync('apt-get', ['install', '-y', '-o', 'Dpkg::Options::=--force-confold', 'postfix', 'postal'], { env, stdio: 'ignore', timeout: 600_000 });
    if (apt.status !== 0) {
      spawnSync('apt-get', ['update'], { env, stdio: 'ignore', timeout: 300_000 });
      spawnSync('apt-get', ['install', '-y', '-o', 'Dpkg::Options::=--force-confold', 'postfix', 'postal'], { env, stdio: 'ignore', timeout: 600_000 });
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
    versions: { postfix: packageVersion('postfix'), postal: packageVersion('postal') },
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
