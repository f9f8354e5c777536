#!/usr/bin/env bash
# Installs and configures the container engine for the end-to-end suite (idempotent):
# podman, buildah, skopeo, Debian's docker-registry and mmdebstrap from apt; runc unpacked from
# its .deb (crun cannot set rlimits here); configs under $E2E_DIR/conf.
set -euo pipefail
source "$(dirname "$0")/env.sh"

need=()
for tool in podman buildah skopeo docker-registry mmdebstrap slirp4netns; do command -v "$tool" >/dev/null || need+=("$tool"); done
if [ "${#need[@]}" -gt 0 ]; then
  echo "e2e: installing podman buildah skopeo docker-registry mmdebstrap slirp4netns (apt)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman buildah skopeo docker-registry mmdebstrap slirp4netns uidmap >/dev/null
fi

mkdir -p "$E2E_DIR/conf" "$E2E_DIR/runc" "$E2E_DIR/bin"
if [ ! -x "$E2E_DIR/runc/usr/sbin/runc" ]; then
  echo "e2e: unpacking runc"
  (cd "$E2E_DIR/runc" && apt-get download -qq runc && dpkg -x runc_*.deb . && rm -f runc_*.deb)
fi

# Storage: the kernel's overlay where it can be mounted (layers shared, containers created in
# milliseconds), else vfs (a full copy of the file system per layer: slow, and tens of GB per run).
# E2E_STORAGE_DRIVER forces one. Each driver has its own store; switching to overlay removes the
# vfs store (its images are rebuilt in the new one).
driver="${E2E_STORAGE_DRIVER:-}"
if [ -z "$driver" ]; then
  probe="$(mktemp -d)"
  mkdir -p "$probe/lower" "$probe/upper" "$probe/work" "$probe/merged"
  if mount -t overlay overlay -o "lowerdir=$probe/lower,upperdir=$probe/upper,workdir=$probe/work" "$probe/merged" 2>/dev/null; then
    umount "$probe/merged"
    driver=overlay
  else
    driver=vfs
  fi
  rm -rf "$probe"
fi
graphroot="$E2E_DIR/storage-$driver"
if [ "$driver" = overlay ] && [ -d "$E2E_DIR/storage" ]; then
  echo "e2e: removing the old vfs image store ($(du -sh "$E2E_DIR/storage" | cut -f1))"
  rm -rf "$E2E_DIR/storage"
fi
echo "e2e: storage driver $driver ($graphroot)"
cat > "$CONTAINERS_STORAGE_CONF" <<CONF
[storage]
driver = "$driver"
runroot = "$E2E_DIR/run"
graphroot = "$graphroot"
CONF
cat > "$CONTAINERS_CONF" <<CONF
[containers]
default_ulimits = []
netns = "host"
log_driver = "k8s-file"
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
[engine.runtimes]
runc = ["$E2E_DIR/runc/usr/sbin/runc"]
CONF
cat > "$CONTAINERS_REGISTRIES_CONF" <<CONF
unqualified-search-registries = ["docker.io"]
short-name-mode = "permissive"
[[registry]]
location = "$E2E_REGISTRY"
insecure = true
# The deploy emulator's registry (scripts/e2e/ministack.sh): functions' ImageUris name ECR's host,
# and the engine pulls them from the emulator.
[[registry]]
prefix = "$E2E_MINISTACK_ACCOUNT.dkr.ecr.$E2E_MINISTACK_REGION.amazonaws.com"
location = "127.0.0.1:$E2E_MINISTACK_PORT"
insecure = true
[[registry]]
location = "127.0.0.1:$E2E_MINISTACK_PORT"
insecure = true
CONF
[ -f "$REGISTRY_AUTH_FILE" ] || echo '{"auths":{}}' > "$REGISTRY_AUTH_FILE"
podman --version
