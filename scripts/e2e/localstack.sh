#!/usr/bin/env bash
# LocalStack (open-source core, host mode, no Docker) serving S3 on 127.0.0.1:4566, from PyPI into
# a venv under E2E_DIR. Idempotent: does nothing when it already answers.
set -euo pipefail
source "$(dirname "$0")/env.sh"
VERSION=2026.3.0
PORT="${E2E_LOCALSTACK_PORT:-4566}"
if curl -fsS "http://127.0.0.1:$PORT/_localstack/health" >/dev/null 2>&1; then
  echo "e2e: LocalStack already answers on 127.0.0.1:$PORT"
  exit 0
fi
# localstack-core 2026.3 needs Python >= 3.12 (PEP 695 syntax).
PYTHON=""
for candidate in python3.13 python3.12; do
  if p="$(command -v "$candidate")" && "$p" -c 'import sys' >/dev/null 2>&1; then PYTHON="$p"; break; fi
done
if [ -z "$PYTHON" ] && command -v pyenv >/dev/null; then
  # pyenv's shims run only the selected version: use an installed 3.12/3.13 directly.
  v="$(pyenv versions --bare | grep -E '^3\.1[23](\.|$)' | tail -n 1 || true)"
  [ -z "$v" ] || PYTHON="$(pyenv root)/versions/$v/bin/python3"
fi
[ -n "$PYTHON" ] || { echo "e2e: LocalStack needs Python 3.12 or 3.13 (python3.12/python3.13 on PATH, or pyenv)" >&2; exit 1; }
VENV="$E2E_DIR/localstack-$VERSION"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import localstack.aws.components' 2>/dev/null; then
  echo "e2e: installing localstack-core[runtime]==$VERSION with $("$PYTHON" --version)"
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
  # Dependencies as they were when this release was current: today's cbor2, pyOpenSSL and
  # twisted no longer fit localstack-core 2026.3 (needs pip >= 26 for --uploaded-prior-to).
  "$VENV/bin/pip" install --quiet --disable-pip-version-check --upgrade "pip>=26"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check --uploaded-prior-to 2026-04-10T00:00:00Z "localstack-core[runtime]==$VERSION"
fi
mkdir -p "$E2E_DIR/localstack-data"
(
  cd "$E2E_DIR/localstack-data"
  GATEWAY_LISTEN="127.0.0.1:$PORT" SERVICES=s3 DNS_ADDRESS=0 DISABLE_EVENTS=1 SKIP_SSL_CERT_DOWNLOAD=1 \
    LOCALSTACK_VOLUME_DIR="$E2E_DIR/localstack-data" \
    nohup "$VENV/bin/python" -m localstack.runtime.main > "$E2E_DIR/localstack.log" 2>&1 &
  echo $! > "$E2E_DIR/localstack.pid"
)
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$PORT/_localstack/health" 2>/dev/null | grep -q '"s3": "\(available\|running\)"'; then
    echo "e2e: LocalStack S3 on 127.0.0.1:$PORT"
    exit 0
  fi
  sleep 0.5
done
echo "e2e: LocalStack did not start; see $E2E_DIR/localstack.log" >&2
tail -20 "$E2E_DIR/localstack.log" >&2
exit 1
