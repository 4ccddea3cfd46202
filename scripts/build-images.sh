#!/usr/bin/env bash
# Builds every image the docker stack needs, locally, without a container registry.
#
#   scripts/build-images.sh [--release bookworm|trixie|all] [--mirror URL] [--force-base] [--quiet]
#   scripts/build-images.sh --print-tags     (the mail image names this checkout expects; no docker needed)
#
# For each Debian release (default: all, i.e. bookworm and trixie):
# 1. debian:<release>-slim: used as it is when present; pulled when a registry answers;
#    otherwise made with debootstrap (minbase) from a Debian archive (--mirror, default the
#    archive apt uses on a stock Debian machine) and imported with `docker import`.
# 2. mailstorm/mail:<release>-<hash>: Postfix + Dovecot + postfwd from stack/docker/mail/Dockerfile,
#    with that release's configuration; <hash> is taken from the files in stack/docker/mail, so
#    an image built from other files is never used by mistake (stack/docker/releases.ts computes
#    the same name). Docker's layer cache makes a rebuild with unchanged files take about a second.
#
# Exit codes: 0 built, 2 bad arguments, 3 docker/debootstrap missing or a build failed.
set -euo pipefail

MIRROR="${MAILSTORM_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
FORCE_BASE=0
QUIET=0
PRINT_TAGS=0
RELEASES="bookworm trixie"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

while [ $# -gt 0 ]; do
  case "$1" in
    --mirror) MIRROR="${2:?--mirror needs a URL}"; shift 2 ;;
    --mirror=*) MIRROR="${1#--mirror=}"; shift ;;
    --release) RELEASES="${2:?--release needs bookworm, trixie or all}"; shift 2 ;;
    --release=*) RELEASES="${1#--release=}"; shift ;;
    --force-base) FORCE_BASE=1; shift ;;
    --quiet) QUIET=1; shift ;;
    --print-tags) PRINT_TAGS=1; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "build-images: unknown option $1 (allowed: --release NAME, --mirror URL, --force-base, --quiet, --print-tags)" >&2; exit 2 ;;
  esac
done
case "$MIRROR" in
  http://*|https://*|file://*) ;;
  *) echo "build-images: --mirror must be an http(s):// or file:// URL, got '$MIRROR'" >&2; exit 2 ;;
esac
[ "$RELEASES" = all ] && RELEASES="bookworm trixie"
for release in $RELEASES; do
  case "$release" in
    bookworm|trixie) ;;
    *) echo "build-images: --release must be bookworm, trixie or all, got '$release'" >&2; exit 2 ;;
  esac
done

# Same value as mailBuildHash() in stack/docker/releases.ts.
MAIL_HASH="$(cd "$ROOT/stack/docker/mail" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-12)"
mail_image() { echo "mailstorm/mail:$1-$MAIL_HASH"; }
if [ "$PRINT_TAGS" = 1 ]; then
  for release in $RELEASES; do mail_image "$release"; done
  exit 0
fi

log() { [ "$QUIET" = 1 ] || echo "build-images: $*" >&2; }
die() { echo "build-images: $*" >&2; exit 3; }

command -v docker >/dev/null || die "docker is not installed (apt-get install -y docker.io)"
docker info >/dev/null 2>&1 || die "the docker engine is not answering (start dockerd)"

have_image() { docker image inspect "$1" >/dev/null 2>&1; }

# A registry that does not resolve fails fast; one that hangs is cut off after 60 s.
try_pull() { timeout 60 docker pull -q "$1" >/dev/null 2>&1; }

debootstrap_base() {
  local release="$1" base="$2" dir
  command -v debootstrap >/dev/null || die "debootstrap is not installed (apt-get install -y debootstrap)"
  dir="$(mktemp -d /tmp/mailstorm-rootfs.XXXXXX)"
  # Removes the half-made root file system on any exit path.
  trap 'rm -rf "$dir"; trap - RETURN' RETURN
  log "creating $base with debootstrap from $MIRROR (about 30 s)"
  debootstrap --variant=minbase "$release" "$dir" "$MIRROR" >"/tmp/mailstorm-debootstrap-$release.log" 2>&1 \
    || die "debootstrap $release failed, see /tmp/mailstorm-debootstrap-$release.log"
  # Slim it like the official -slim image: no docs, man pages or apt lists.
  rm -rf "$dir"/usr/share/doc/* "$dir"/usr/share/man/* "$dir"/usr/share/info/* \
    "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin "$dir"/var/cache/apt/archives/*.deb
  # trixie's debootstrap writes deb822 sources; one plain line is the same for both releases.
  rm -f "$dir"/etc/apt/sources.list.d/*
  echo "deb $MIRROR $release main" >"$dir/etc/apt/sources.list"
  tar -C "$dir" --numeric-owner -c . \
    | docker import --change 'CMD ["bash"]' --message "debootstrap minbase $release from $MIRROR" - "$base" >/dev/null \
    || die "docker import of $base failed"
  log "imported $base"
}

build_release() {
  local release="$1"
  local base="debian:$release-slim" mail
  mail="$(mail_image "$release")"
  if [ "$FORCE_BASE" = 1 ]; then
    debootstrap_base "$release" "$base"
  elif have_image "$base"; then
    log "$base present"
  elif try_pull "$base"; then
    log "pulled $base"
  else
    debootstrap_base "$release" "$base"
  fi
  log "building $mail"
  local build_log="/tmp/mailstorm-build-mail-$release.log"
  if ! docker build --build-arg "RELEASE=$release" --build-arg "DEBIAN_MIRROR=$MIRROR" -t "$mail" "$ROOT/stack/docker/mail" >"$build_log" 2>&1; then
    tail -n 30 "$build_log" >&2
    die "docker build of $mail failed, full log in $build_log"
  fi
  log "built $mail ($(docker image inspect -f '{{.Id}}' "$mail" | cut -c1-19))"
}

for release in $RELEASES; do build_release "$release"; done
# Earlier builds of the mail images, now untagged, would pile up on every config change.
docker image prune -f --filter "label=org.opencontainers.image.title=mailstorm-mail" >/dev/null 2>&1 || true
