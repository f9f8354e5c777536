#!/usr/bin/env bash
# A local registry (Debian's docker-registry, distribution 2.8) on 127.0.0.1:5000, storage under
# $E2E_DIR/registry, deletes enabled. Idempotent: does nothing when it already answers.
set -euo pipefail
source "$(dirname "$0")/env.sh"
if curl -fsS "http://$E2E_REGISTRY/v2/" >/dev/null 2>&1; then
  echo "e2e: registry already answers on $E2E_REGISTRY"
  exit 0
fi
mkdir -p "$E2E_DIR/registry"
# (REGISTRY_* variables override the registry's configuration: podman's REGISTRY_AUTH_FILE is unset for it.)
cat > "$E2E_DIR/conf/registry.yml" <<CONF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $E2E_DIR/registry
  delete:
    enabled: true
http:
  addr: $E2E_REGISTRY
CONF
nohup env -u REGISTRY_AUTH_FILE docker-registry serve "$E2E_DIR/conf/registry.yml" > "$E2E_DIR/registry.log" 2>&1 &
echo $! > "$E2E_DIR/registry.pid"
for _ in $(seq 1 50); do
  curl -fsS "http://$E2E_REGISTRY/v2/" >/dev/null 2>&1 && { echo "e2e: registry on $E2E_REGISTRY"; exit 0; }
  sleep 0.2
done
echo "e2e: the registry did not start; see $E2E_DIR/registry.log" >&2
exit 1
