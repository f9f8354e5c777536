#!/usr/bin/env bash
# Installs and configures the container engine for the end-to-end suite (idempotent):
# podman, buildah, skopeo, Debian's docker-registry and mmdebstrap from apt; runc unpacked from
# its .deb (crun cannot set rlimits here); configs under $E2E_DIR/conf.
set -euo pipefail
source "$(dirname "$0")/env.sh"

need=()
for tool in podman buildah skopeo docker-registry mmdebstrap; do command -v "$tool" >/dev/null || need+=("$tool"); done
if [ "${#need[@]}" -gt 0 ]; then
  echo "e2e: installing podman buildah skopeo docker-registry mmdebstrap (apt)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman buildah skopeo docker-registry mmdebstrap uidmap >/dev/null
fi

mkdir -p "$E2E_DIR/conf" "$E2E_DIR/runc" "$E2E_DIR/bin"
if [ ! -x "$E2E_DIR/runc/usr/sbin/runc" ]; then
  echo "e2e: unpacking runc"
  (cd "$E2E_DIR/runc" && apt-get download -qq runc && dpkg -x runc_*.deb . && rm -f runc_*.deb)
fi

cat > "$CONTAINERS_STORAGE_CONF" <<CONF
[storage]
driver = "vfs"
runroot = "$E2E_DIR/run"
graphroot = "$E2E_DIR/storage"
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
CONF
[ -f "$REGISTRY_AUTH_FILE" ] || echo '{"auths":{}}' > "$REGISTRY_AUTH_FILE"
podman --version
