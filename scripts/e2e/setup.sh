#!/usr/bin/env bash
# Everything the end-to-end suite needs, installed and started by the project itself:
# podman/buildah (apt), runc, the RIE, stand-in base images, a local registry, LocalStack S3.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
"$HERE/engine.sh"
"$HERE/prune.sh"
"$HERE/rie.sh"
"$HERE/qemu.sh"
"$HERE/base-images.sh"
"$HERE/registry.sh"
"$HERE/localstack.sh"
"$HERE/ministack.sh"
