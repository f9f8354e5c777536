#!/usr/bin/env bash
# Builds the stand-in base images under the real names (public.ecr.aws/lambda/* and Docker Hub
# cannot be pulled here), for the host architecture, from a Debian rootfs made by mmdebstrap.
# Cached: an image built from the same stand-in files is not rebuilt (E2E_REBUILD=1 forces it).
set -euo pipefail
source "$(dirname "$0")/env.sh"
HERE="$(cd "$(dirname "$0")" && pwd)"
ARCH="$(uname -m | sed 's/aarch64/arm64/')"
# Every stand-in image is labelled with the hash of the files it is built from: a change rebuilds.
STANDINS="$(cat "$HERE"/stand-ins/* "$E2E_RIE" | sha256sum | cut -c1-16)"
exists() { [ "${E2E_REBUILD:-}" != 1 ] && podman image exists "$1"; }
current() { exists "$1" && [ "$(podman image inspect --format '{{index .Labels "e2e.stand-ins"}}' "$1")" = "$STANDINS" ]; }

mkdir -p "$E2E_DIR/cache"
ROOTFS="$E2E_DIR/cache/bookworm-rootfs.tar"
if ! exists localhost/e2e-rootfs:bookworm; then
  if [ ! -s "$ROOTFS" ]; then
    echo "e2e: mmdebstrap bookworm rootfs"
    mmdebstrap --quiet --format=tar --variant=minbase --include=python3,python3-pip,ca-certificates,curl bookworm "$ROOTFS.part"
    mv "$ROOTFS.part" "$ROOTFS"
  fi
  podman import --quiet "$ROOTFS" localhost/e2e-rootfs:bookworm >/dev/null
fi

ctx="$(mktemp -d)"
trap 'rm -rf "$ctx"' EXIT
cp "$HERE"/stand-ins/* "$ctx/"
cp "$E2E_RIE" "$ctx/aws-lambda-rie"
cp /etc/ssl/certs/ca-certificates.crt "$ctx/host-ca-certificates.crt"
chmod 755 "$ctx/lambda-entrypoint.sh" "$ctx/python-bootstrap" "$ctx/aws-lambda-rie"

build() { # name dockerfile
  if current "$1"; then echo "e2e: stand-in $1 (cached)"; return; fi
  echo "e2e: building stand-in $1"
  podman build --quiet --network host --label "e2e.stand-ins=$STANDINS" --file "$ctx/$2" --tag "$1" "$ctx" >/dev/null
}
build localhost/e2e-base:bookworm rootfs.Dockerfile
build "public.ecr.aws/lambda/python:3.13-$ARCH" lambda-python.Dockerfile
build "public.ecr.aws/lambda/provided:al2023-$ARCH" lambda-provided.Dockerfile
build "docker.io/library/python:3.13-slim" python-slim.Dockerfile
build docker.io/library/node:22-bookworm-slim node-slim.Dockerfile
