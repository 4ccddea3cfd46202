#!/usr/bin/env bash
# Prepares a machine for the docker test group (`npm run test:docker`):
#   1. installs docker.io and debootstrap when missing (Debian/Ubuntu, as root);
#   2. starts dockerd in the background when no engine answers, and waits for it (bounded);
#   3. builds the images for both Debian releases, bookworm and trixie (scripts/build-images.sh:
#      cached, and offline-capable).
# Usage: .ci/docker-setup.sh [--mirror URL]   (the mirror is passed on to the image build)
# Exit codes: 0 ready, 3 something could not be set up (the message says what).
set -euo pipefail

cd "$(dirname "$0")/.."
DOCKERD_LOG="${MAILSTORM_DOCKERD_LOG:-/tmp/dockerd.log}"
READY_TIMEOUT_S="${MAILSTORM_DOCKERD_TIMEOUT:-60}"

say() { echo "docker-setup: $*" >&2; }
die() { say "$*"; exit 3; }

sudo_if_needed() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else die "need root to run: $*"; fi
}

missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v debootstrap >/dev/null || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
  command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get to install them"
  say "installing ${missing[*]}"
  # Another apt run (unattended upgrades, a parallel job) may hold the lock for a while.
  for attempt in $(seq 1 30); do
    if sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/tmp/docker-setup-apt.log 2>&1; then
      break
    fi
    if [ "$attempt" = 1 ]; then sudo_if_needed apt-get update -qq >/dev/null 2>&1 || true; fi
    [ "$attempt" = 30 ] && die "apt-get install ${missing[*]} failed, see /tmp/docker-setup-apt.log"
    sleep 5
  done
fi

engine_up() { docker info >/dev/null 2>&1; }

# A dockerd that is starting or stopping answers within a few seconds: wait for it first.
if ! engine_up && pgrep -x dockerd >/dev/null; then
  say "a dockerd process exists but does not answer yet; waiting"
  for _ in $(seq 1 "$READY_TIMEOUT_S"); do
    engine_up || ! pgrep -x dockerd >/dev/null && break
    sleep 1
  done
fi

if ! engine_up; then
  # A pid file without its process (a killed engine) stops a new dockerd from starting.
  if [ -f /var/run/docker.pid ] && ! kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
    sudo_if_needed rm -f /var/run/docker.pid
  fi
  say "starting dockerd (log: $DOCKERD_LOG)"
  # setsid: the engine must outlive this script and the CI step that called it.
  sudo_if_needed setsid dockerd >"$DOCKERD_LOG" 2>&1 < /dev/null &
  dockerd_pid=$!
  for _ in $(seq 1 "$READY_TIMEOUT_S"); do
    engine_up && break
    kill -0 "$dockerd_pid" 2>/dev/null || { tail -n 20 "$DOCKERD_LOG" >&2; die "dockerd exited at start"; }
    sleep 1
  done
  engine_up || { tail -n 20 "$DOCKERD_LOG" >&2; die "dockerd did not answer within ${READY_TIMEOUT_S}s"; }
fi
say "docker engine $(docker info --format '{{.ServerVersion}}') ready"

bash scripts/build-images.sh "$@"
