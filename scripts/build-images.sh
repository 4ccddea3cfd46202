#!/usr/bin/env bash
# Builds every image the docker stack needs, locally, without a container registry.
#
#   scripts/build-images.sh [--mirror URL] [--force-base] [--quiet]
#
# 1. debian:bookworm-slim: used as it is when present; pulled when a registry answers;
#    otherwise made with debootstrap (minbase) from a Debian archive (--mirror, default the
#    archive apt uses on a stock Debian machine) and imported with `docker import`.
# 2. mailstorm/mail: Postfix + Dovecot from stack/docker/mail/Dockerfile. Docker's layer
#    cache makes a rebuild with unchanged files take about a second.
#
# Exit codes: 0 built, 2 bad arguments, 3 docker/debootstrap missing or a build failed.
set -euo pipefail

MIRROR="${MAILSTORM_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
FORCE_BASE=0
QUIET=0
BASE_IMAGE="debian:bookworm-slim"
MAIL_IMAGE="${MAILSTORM_MAIL_IMAGE:-mailstorm/mail:latest}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

while [ $# -gt 0 ]; do
  case "$1" in
    --mirror) MIRROR="${2:?--mirror needs a URL}"; shift 2 ;;
    --mirror=*) MIRROR="${1#--mirror=}"; shift ;;
    --force-base) FORCE_BASE=1; shift ;;
    --quiet) QUIET=1; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "build-images: unknown option $1 (allowed: --mirror URL, --force-base, --quiet)" >&2; exit 2 ;;
  esac
done
case "$MIRROR" in
  http://*|https://*|file://*) ;;
  *) echo "build-images: --mirror must be an http(s):// or file:// URL, got '$MIRROR'" >&2; exit 2 ;;
esac

log() { [ "$QUIET" = 1 ] || echo "build-images: $*" >&2; }
die() { echo "build-images: $*" >&2; exit 3; }

command -v docker >/dev/null || die "docker is not installed (apt-get install -y docker.io)"
docker info >/dev/null 2>&1 || die "the docker engine is not answering (start dockerd)"

have_image() { docker image inspect "$1" >/dev/null 2>&1; }

# A registry that does not resolve fails fast; one that hangs is cut off after 60 s.
try_pull() { timeout 60 docker pull -q "$1" >/dev/null 2>&1; }

debootstrap_base() {
  command -v debootstrap >/dev/null || die "debootstrap is not installed (apt-get install -y debootstrap)"
  local dir
  dir="$(mktemp -d /tmp/mailstorm-rootfs.XXXXXX)"
  # Removes the half-made root file system on any exit path.
  trap 'rm -rf "$dir"' RETURN
  log "creating $BASE_IMAGE with debootstrap from $MIRROR (about 30 s)"
  debootstrap --variant=minbase bookworm "$dir" "$MIRROR" >/tmp/mailstorm-debootstrap.log 2>&1 \
    || die "debootstrap failed, see /tmp/mailstorm-debootstrap.log"
  # Slim it like the official -slim image: no docs, man pages or apt lists.
  rm -rf "$dir"/usr/share/doc/* "$dir"/usr/share/man/* "$dir"/usr/share/info/* \
    "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin "$dir"/var/cache/apt/archives/*.deb
  echo "deb $MIRROR bookworm main" >"$dir/etc/apt/sources.list"
  tar -C "$dir" --numeric-owner -c . \
    | docker import --change 'CMD ["bash"]' --message "debootstrap minbase bookworm from $MIRROR" - "$BASE_IMAGE" >/dev/null \
    || die "docker import failed"
  log "imported $BASE_IMAGE"
}

if [ "$FORCE_BASE" = 1 ]; then
  debootstrap_base
elif have_image "$BASE_IMAGE"; then
  log "$BASE_IMAGE present"
elif try_pull "$BASE_IMAGE"; then
  log "pulled $BASE_IMAGE"
else
  debootstrap_base
fi

log "building $MAIL_IMAGE"
build_log=/tmp/mailstorm-build-mail.log
if ! docker build --build-arg "DEBIAN_MIRROR=$MIRROR" -t "$MAIL_IMAGE" "$ROOT/stack/docker/mail" >"$build_log" 2>&1; then
  tail -n 30 "$build_log" >&2
  die "docker build of $MAIL_IMAGE failed, full log in $build_log"
fi
# Earlier builds of the mail image, now untagged, would pile up on every config change.
docker image prune -f --filter "label=org.opencontainers.image.title=mailstorm-mail" >/dev/null 2>&1 || true
log "built $MAIL_IMAGE ($(docker image inspect -f '{{.Id}}' "$MAIL_IMAGE" | cut -c1-19))"
