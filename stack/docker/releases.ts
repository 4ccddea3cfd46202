// The Debian releases the docker stack's mail image is built from, and the image names per
// release: kept apart from images.ts so --config can be checked without the build tooling.

/** bookworm: Postfix 3.7, Dovecot 2.3; trixie: Postfix 3.10, Dovecot 2.4 (new configuration syntax). */
export const RELEASES = ['bookworm', 'trixie'] as const;
export type Release = (typeof RELEASES)[number];
export const DEFAULT_RELEASE: Release = 'bookworm';

export function baseImage(release: Release): string {
  return `debian:${release}-slim`;
}

/** Tagged by release, so a current and a candidate stack can sit side by side. */
export function mailImage(release: Release): string {
  return `mailstorm/mail:${release}`;
}
