#!/usr/bin/env bash
# Keeps the engine's storage bounded on a machine that runs the suite again and again (with vfs,
# a full copy of the file system per layer, images of earlier runs add up to tens of GB).
# Removes stopped containers, then images of this project's own (function images, benchmark and
# test images) and dangling build-cache images older than a day; stand-in base images stay.
set -euo pipefail
source "$(dirname "$0")/env.sh"
podman container prune --force >/dev/null
old="$(podman images --filter until=24h --format '{{.Repository}}:{{.Tag}}' | grep -E '^localhost/(cdkasset-|bench-|e2e/)' || true)"
[ -z "$old" ] || podman rmi --force $old >/dev/null 2>&1 || true
podman image prune --force --filter until=24h >/dev/null
free_gb=$(( $(df --output=avail -k "$E2E_DIR" | tail -n 1) / 1024 / 1024 ))
echo "e2e: image storage $(du -sch "$E2E_DIR"/storage-* 2>/dev/null | tail -n 1 | cut -f1), ${free_gb} GB free"
if [ "$free_gb" -lt 8 ]; then
  echo "e2e: less than 8 GB free: builds may fail with 'no space left on device'. Free space, or remove $E2E_DIR/storage-* (everything is rebuilt)." >&2
fi
