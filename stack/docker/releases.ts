// The Debian releases the docker stack's mail image is built from, and the image names per
// release: kept apart from images.ts so --config can be checked without the build tooling.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** bookworm: Postfix 3.7, Dovecot 2.3; trixie: Postfix 3.10, Dovecot 2.4 (new configuration syntax). */
export const RELEASES = ['bookworm', 'trixie'] as const;
export type Release = (typeof RELEASES)[number];
export const DEFAULT_RELEASE: Release = 'bookworm';

export function baseImage(release: Release): string {
  return `debian:${release}-slim`;
}

/**
 * Tagged by release, so a current and a candidate stack can sit side by side, and by a hash
 * of the files the image is built from, so a run never uses an image built from an older
 * Postfix/Dovecot configuration than the code expects (it asks for a build instead).
 */
export function mailImage(release: Release): string {
  return `mailstorm/mail:${release}-${mailBuildHash()}`;
}

export const MAIL_BUILD_DIR = fileURLToPath(new URL('./mail/', import.meta.url));

let cachedHash: string | undefined;

/**
 * First 12 hex digits of sha256 over `sha256sum` lines of every file under stack/docker/mail
 * in byte order of their "./path" names: the same value scripts/build-images.sh computes with
 * `find . -type f | LC_ALL=C sort | xargs sha256sum | sha256sum`.
 */
export function mailBuildHash(): string {
  return (cachedHash ??= filesHash(MAIL_BUILD_DIR));
}

export function filesHash(dir: string): string {
  const files = listFiles(dir, '.').sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const lines = files.map((rel) => `${createHash('sha256').update(readFileSync(join(dir, rel))).digest('hex')}  ${rel}\n`);
  return createHash('sha256').update(lines.join('')).digest('hex').slice(0, 12);
}

function listFiles(root: string, rel: string): string[] {
  return readdirSync(join(root, rel), { withFileTypes: true }).flatMap((entry) => {
    const path = `${rel}/${entry.name}`;
    if (entry.isDirectory()) return listFiles(root, path);
    return entry.isFile() ? [path] : [];
  });
}
