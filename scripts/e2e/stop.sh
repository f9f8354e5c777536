#!/usr/bin/env bash
# Stops what the end-to-end scripts started from this E2E_DIR (registry, LocalStack, ministack, its
# ECR and Lambda container shims, podman's Docker API) and the function containers ministack left running.
# The image store and caches stay. Safe to run when nothing runs.
set -uo pipefail
source "$(dirname "$0")/env.sh"
for name in ministack ministack-shim lambda-container-shim localstack registry podman-service; do
  pidfile="$E2E_DIR/$name.pid"
  [ -f "$pidfile" ] || continue
  pid="$(cat "$pidfile")"
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
    echo "e2e: stopped $name ($pid)"
  fi
  rm -f "$pidfile"
done
leftover="$(podman ps -aq --filter label=ministack 2>/dev/null || true)"
[ -z "$leftover" ] || podman rm -f $leftover >/dev/null 2>&1 || true
exit 0
