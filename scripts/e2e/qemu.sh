#!/usr/bin/env bash
# arm64 on an x86_64 machine: QEMU user emulation registered with binfmt_misc and the F flag (the
# interpreter is opened at registration, so it works inside containers and chroots), from
# Debian's qemu-user-static. Idempotent. On an arm64 machine there is nothing to do.
set -euo pipefail
[ "$(uname -m)" = aarch64 ] && { echo "e2e: arm64 host: no emulation needed"; exit 0; }
BINFMT=/proc/sys/fs/binfmt_misc
[ -e "$BINFMT/register" ] || mount -t binfmt_misc binfmt_misc "$BINFMT"
if [ ! -e "$BINFMT/qemu-aarch64" ]; then
  echo "e2e: installing qemu-user-static binfmt-support (apt)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq qemu-user-static binfmt-support >/dev/null
  # binfmt-support registers the interpreters when its service starts; without an init system, by hand.
  [ -e "$BINFMT/qemu-aarch64" ] || update-binfmts --enable qemu-aarch64
fi
grep -q '^enabled' "$BINFMT/qemu-aarch64" || { echo "e2e: qemu-aarch64 is registered but not enabled" >&2; exit 1; }
grep -q '^flags: .*F' "$BINFMT/qemu-aarch64" || { echo "e2e: qemu-aarch64 lacks the F flag: containers cannot use it ($(grep flags "$BINFMT/qemu-aarch64"))" >&2; exit 1; }
echo "e2e: arm64 through $(grep '^interpreter' "$BINFMT/qemu-aarch64") ($(grep '^flags' "$BINFMT/qemu-aarch64"))"
