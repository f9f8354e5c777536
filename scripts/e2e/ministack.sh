#!/usr/bin/env bash
# The deploy emulator: ministack (PyPI, MIT) on 127.0.0.1:$E2E_MINISTACK_PORT, with CloudFormation,
# IAM/STS, S3, ECR (and its registry on the same port) and Lambda, which runs image functions
# through the engine's Docker-compatible API (podman system service on $E2E_DOCKER_SOCKET).
# Installed into a venv under E2E_DIR (reused); the emulator itself is restarted on every run.
set -euo pipefail
source "$(dirname "$0")/env.sh"
VERSION=1.5.33
PORT="$E2E_MINISTACK_PORT"

# The engine's Docker API (ministack creates the functions' containers through it).
if ! curl -fsS --unix-socket "$E2E_DOCKER_SOCKET" http://d/_ping >/dev/null 2>&1; then
  rm -f "$E2E_DOCKER_SOCKET"
  nohup podman system service --time=0 "unix://$E2E_DOCKER_SOCKET" > "$E2E_DIR/podman-service.log" 2>&1 &
  echo $! > "$E2E_DIR/podman-service.pid"
  for _ in $(seq 1 60); do curl -fsS --unix-socket "$E2E_DOCKER_SOCKET" http://d/_ping >/dev/null 2>&1 && break; sleep 0.5; done
  curl -fsS --unix-socket "$E2E_DOCKER_SOCKET" http://d/_ping >/dev/null || { echo "e2e: podman's Docker API did not start; see $E2E_DIR/podman-service.log" >&2; exit 1; }
fi
echo "e2e: podman Docker API on $E2E_DOCKER_SOCKET"

# State lives in memory: a fresh emulator for every run of the suite (no stacks left from an
# earlier run). One that answers but was not started here is an error, not something to reuse.
if [ -f "$E2E_DIR/ministack.pid" ] && kill "$(cat "$E2E_DIR/ministack.pid")" 2>/dev/null; then
  for _ in $(seq 1 40); do curl -fsS "http://127.0.0.1:$PORT/_ministack/health" >/dev/null 2>&1 || break; sleep 0.25; done
fi
if curl -fsS "http://127.0.0.1:$PORT/_ministack/health" >/dev/null 2>&1; then
  echo "e2e: something else answers on 127.0.0.1:$PORT; stop it or set E2E_MINISTACK_PORT" >&2
  exit 1
fi
# The Lambda container shim (e2e/lambda-container-shim.ts) between ministack and the engine: images
# without their own RIE get one (Lambda gives every image a Runtime API), and function containers
# reach the loopback-only emulator through slirp4netns instead of the bridge network.
SHIM_SOCKET="$E2E_DIR/run/lambda-container-shim.sock"
[ -f "$E2E_DIR/lambda-container-shim.pid" ] && kill "$(cat "$E2E_DIR/lambda-container-shim.pid")" 2>/dev/null || true
nohup "$E2E_REPO/node_modules/.bin/ts-node" --transpile-only --project "$E2E_REPO/e2e/tsconfig.json" \
  "$E2E_REPO/e2e/lambda-container-shim.ts" "$SHIM_SOCKET" "$E2E_DOCKER_SOCKET" "$E2E_DIR/bin" > "$E2E_DIR/lambda-container-shim.log" 2>&1 &
echo $! > "$E2E_DIR/lambda-container-shim.pid"
for _ in $(seq 1 60); do curl -fsS --unix-socket "$SHIM_SOCKET" http://d/_ping >/dev/null 2>&1 && break; sleep 0.5; done
curl -fsS --unix-socket "$SHIM_SOCKET" http://d/_ping >/dev/null || { echo "e2e: the Lambda container shim did not start; see $E2E_DIR/lambda-container-shim.log" >&2; exit 1; }

# The ECR fidelity shim (e2e/ministack-shim.ts) for ministack's own Lambda functions (the in-use
# marker's handler): ministack hands its AWS_ENDPOINT_URL to them.
SHIM_PORT="$E2E_MINISTACK_SHIM_PORT"
[ -f "$E2E_DIR/ministack-shim.pid" ] && kill "$(cat "$E2E_DIR/ministack-shim.pid")" 2>/dev/null || true
nohup "$E2E_REPO/node_modules/.bin/ts-node" --transpile-only --project "$E2E_REPO/e2e/tsconfig.json" \
  "$E2E_REPO/e2e/ministack-shim.ts" "$SHIM_PORT" "http://127.0.0.1:$PORT" > "$E2E_DIR/ministack-shim.log" 2>&1 &
echo $! > "$E2E_DIR/ministack-shim.pid"
for _ in $(seq 1 60); do grep -q 'ministack-shim: http' "$E2E_DIR/ministack-shim.log" 2>/dev/null && break; sleep 0.5; done
grep -q 'ministack-shim: http' "$E2E_DIR/ministack-shim.log" || { echo "e2e: the ministack ECR shim did not start; see $E2E_DIR/ministack-shim.log" >&2; exit 1; }

VENV="$E2E_DIR/ministack-$VERSION"
if [ ! -x "$VENV/bin/ministack" ]; then
  echo "e2e: installing ministack[full]==$VERSION"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "ministack[full]==$VERSION"
fi
mkdir -p "$E2E_DIR/ministack-data"
(
  cd "$E2E_DIR/ministack-data"
  BIND_HOST=127.0.0.1 GATEWAY_PORT="$PORT" MINISTACK_ACCOUNT_ID="$E2E_MINISTACK_ACCOUNT" MINISTACK_REGION="$E2E_MINISTACK_REGION" \
    IOT_MTLS_ENABLED=false LAMBDA_EXECUTOR=docker DOCKER_HOST="unix://$SHIM_SOCKET" AWS_ENDPOINT_URL="http://127.0.0.1:$SHIM_PORT" \
    nohup "$VENV/bin/ministack" > "$E2E_DIR/ministack.log" 2>&1 &
  echo $! > "$E2E_DIR/ministack.pid"
)
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$PORT/_ministack/health" >/dev/null 2>&1; then
    echo "e2e: ministack $VERSION on 127.0.0.1:$PORT"
    exit 0
  fi
  sleep 0.5
done
echo "e2e: ministack did not start; see $E2E_DIR/ministack.log" >&2
tail -20 "$E2E_DIR/ministack.log" >&2
exit 1
