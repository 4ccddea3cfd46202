// The images the docker stack runs (one mail image per Debian release), how to build them
// (scripts/build-images.sh) and what to record about them in the stack description.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { InputError, StackError } from '../../engine/errors.ts';
import { docker } from './docker-cli.ts';
import { baseImage, DEFAULT_RELEASE, mailImage, RELEASES, type Release } from './releases.ts';

export { baseImage, DEFAULT_RELEASE, mailImage, RELEASES, type Release };

export const BASE_IMAGE = baseImage(DEFAULT_RELEASE);
export const MAIL_IMAGE = mailImage(DEFAULT_RELEASE);
/** The real Toxiproxy, used when present locally (never pulled implicitly). */
export const TOXIPROXY_IMAGE = 'ghcr.io/shopify/toxiproxy:2.12.0';

export const BUILD_SCRIPT = fileURLToPath(new URL('../../scripts/build-images.sh', import.meta.url));

export interface BuildOptions {
  /** Release to build; default every release. */
  release?: Release;
  /** Debian archive for debootstrap and apt (default: the script's, deb.debian.org). */
  mirror?: string;
  /** Recreate debian:<release>-slim with debootstrap even when present. */
  forceBase?: boolean;
  /** Receives the script's progress lines (stderr); default: discarded. */
  onOutput?: (chunk: string) => void;
  /** Upper bound for the whole build; default 15 minutes. */
  timeoutMs?: number;
}

/** Runs scripts/build-images.sh; resolves when every image exists. */
export function buildImages(options: BuildOptions = {}): Promise<void> {
  const args = [BUILD_SCRIPT];
  if (options.mirror !== undefined) {
    if (!/^(https?|file):\/\//.test(options.mirror)) {
      throw new InputError(`--mirror ${options.mirror}: expected an http://, https:// or file:// URL of a Debian archive`);
    }
    args.push('--mirror', options.mirror);
  }
  if (options.release !== undefined) args.push('--release', options.release);
  if (options.forceBase) args.push('--force-base');
  return new Promise((resolve, reject) => {
    const child = spawn('bash', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const take = (chunk: Buffer) => {
      const text = chunk.toString();
      options.onOutput?.(text);
      tail.push(text);
      if (tail.length > 40) tail.shift();
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const timer = setTimeout(() => child.kill('SIGTERM'), options.timeoutMs ?? 15 * 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new StackError(`cannot run ${BUILD_SCRIPT}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve();
      const why = signal ? `stopped by ${signal}` : `exit code ${code}`;
      const error = new StackError(`building the images failed (${why}):\n${tail.join('').trim().split('\n').slice(-15).join('\n')}`);
      reject(code === 2 ? new InputError(error.message) : error);
    });
  });
}

export async function imagePresent(name: string): Promise<boolean> {
  try {
    await docker(['image', 'inspect', '--format', '{{.Id}}', name], 15_000);
    return true;
  } catch {
    return false;
  }
}

/** Builds the release's images unless present (the build itself is cached, so cheap); without a release, every release's. */
export async function ensureImages(options: BuildOptions & { rebuild?: boolean } = {}): Promise<void> {
  const wanted = options.release !== undefined ? [options.release] : RELEASES;
  if (!options.rebuild && (await Promise.all(wanted.map((r) => imagePresent(mailImage(r))))).every(Boolean)) return;
  await buildImages(options);
}

export interface ImageFacts {
  image: string;
  /** Image id (sha256 of its config); locally built images have no registry digest. */
  id: string;
  /** Registry digest when the image came from a registry, else the id. */
  digest: string;
  created: string;
}

export async function inspectImage(name: string): Promise<ImageFacts> {
  const { stdout } = await docker(['image', 'inspect', '--format', '{{json .}}', name], 15_000);
  const info = JSON.parse(stdout) as { Id: string; RepoDigests?: string[]; Created: string };
  return { image: name, id: info.Id, digest: info.RepoDigests?.[0] ?? info.Id, created: info.Created };
}
