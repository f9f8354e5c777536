#!/usr/bin/env bash
# The Runtime Interface Emulator: the binaries AWS ships inside the aws-sam-cli wheel (PyPI), pinned.
# (The Go module proxy reachable here does not serve the emulator's module.)
set -euo pipefail
source "$(dirname "$0")/env.sh"
SAM_VERSION=1.170.0
if [ ! -x "$E2E_RIE" ]; then
  echo "e2e: fetching the RIE from aws-sam-cli==$SAM_VERSION"
  tmp="$(mktemp -d)"
  python3 -m pip download --quiet --disable-pip-version-check --no-deps -d "$tmp" "aws-sam-cli==$SAM_VERSION"
  python3 - "$tmp"/aws_sam_cli-*.whl "$E2E_DIR/bin" <<'PY'
import sys, zipfile, os
wheel, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    for arch in ("x86_64", "arm64"):
        data = z.read(f"samcli/local/rapid/aws-lambda-rie-{arch}")
        path = os.path.join(out, f"aws-lambda-rie-{arch}")
        with open(path, "wb") as f:
            f.write(data)
        os.chmod(path, 0o755)
PY
  cp "$E2E_DIR/bin/aws-lambda-rie-$(uname -m | sed 's/aarch64/arm64/')" "$E2E_RIE"
  rm -rf "$tmp"
fi
echo "e2e: RIE at $E2E_RIE"
