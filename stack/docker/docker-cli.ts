// Thin promise wrapper around the docker command line, for the few things testcontainers
// does not cover (image inspection, label-filtered cleanup) and for the image build script.
import { execFile, spawnSync } from 'node:child_process';
import { StackError } from '../../engine/errors.ts';

export interface DockerResult {
  stdout: string;
  stderr: string;
}

/** Runs `docker ...args`; rejects with a StackError carrying docker's own message. */
export function docker(args: readonly string[], timeoutMs = 60_000): Promise<DockerResult> {
  return new Promise((resolve, reject) => {
    execFile('docker', args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const why = code === 'ENOENT' ? 'the docker command is not installed' : (stderr.trim() || error.message);
        reject(new StackError(`docker ${args[0] ?? ''} failed: ${why}`));
        return;
      }
      resolve({ stdout, stderr });
    });
  });
}

/** Synchronous variant for process 'exit' hooks, where nothing asynchronous can run. Never throws; '' on failure. */
export function dockerSync(args: readonly string[], timeoutMs = 30_000): string {
  const result = spawnSync('docker', args, { timeout: timeoutMs, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return result.status === 0 ? result.stdout : '';
}

/** true when the docker engine answers. */
export async function dockerAvailable(): Promise<boolean> {
  try {
    await docker(['info', '--format', '{{.ServerVersion}}'], 15_000);
    return true;
  } catch {
    return false;
  }
}

export function lines(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
}
