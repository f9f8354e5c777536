#!/usr/bin/env bash
# For the local-invoke benchmark's baseline: the AWS SAM CLI (pinned, the release the RIE comes
# from) in a venv under E2E_DIR, and podman's Docker-compatible API on a socket of our own for it.
# Idempotent.
set -euo pipefail
source "$(dirname "$0")/env.sh"
SAM_VERSION=1.170.0
VENV="$E2E_DIR/sam-$SAM_VERSION"
if [ ! -x "$VENV/bin/sam" ]; then
  echo "e2e: installing aws-sam-cli==$SAM_VERSION" >&2
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "aws-sam-cli==$SAM_VERSION" >&2
fi
SOCKET="$E2E_DIR/run/podman.sock"
mkdir -p "$E2E_DIR/run"
if ! curl -fsS --unix-socket "$SOCKET" http://d/_ping >/dev/null 2>&1; then
  rm -f "$SOCKET"
  nohup podman system service --time=0 "unix://$SOCKET" > "$E2E_DIR/podman-service.log" 2>&1 &
  echo $! > "$E2E_DIR/podman-service.pid"
  for _ in $(seq 1 50); do
    curl -fsS --unix-socket "$SOCKET" http://d/_ping >/dev/null 2>&1 && break
    sleep 0.2
  done
fi
curl -fsS --unix-socket "$SOCKET" http://d/_ping >/dev/null || { echo "e2e: podman's API did not start; see $E2E_DIR/podman-service.log" >&2; exit 1; }
echo "e2e: SAM CLI at $VENV/bin/sam, Docker API (podman) at unix://$SOCKET" >&2
