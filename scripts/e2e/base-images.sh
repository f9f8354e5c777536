#!/usr/bin/env bash
# Builds the stand-in base images under the real names (public.ecr.aws/lambda/* and Docker Hub
# cannot be pulled here), for the host architecture (and the arm64 AWS bases the example app's
# arm64 functions use), from a Debian rootfs made by mmdebstrap.
# Cached: an image built from the same stand-in files is not rebuilt (E2E_REBUILD=1 forces it).
set -euo pipefail
source "$(dirname "$0")/env.sh"
HERE="$(cd "$(dirname "$0")" && pwd)"
ARCH="$(uname -m | sed 's/aarch64/arm64/')"
# Every stand-in image is labelled with the hash of the files it is built from: a change rebuilds.
STANDINS="$(cat "$HERE"/stand-ins/* "$E2E_DIR"/bin/aws-lambda-rie-* | sha256sum | cut -c1-16)"
exists() { [ "${E2E_REBUILD:-}" != 1 ] && podman image exists "$1"; }
current() { exists "$1" && [ "$(podman image inspect --format '{{index .Labels "e2e.stand-ins"}}' "$1")" = "$STANDINS" ]; }

mkdir -p "$E2E_DIR/cache"
rootfs() { # arch: a Debian bookworm rootfs for that architecture, imported as localhost/e2e-rootfs:bookworm[-arch]
  local arch="$1" name tar
  name="localhost/e2e-rootfs:bookworm$([ "$arch" = "$ARCH" ] || echo "-$arch")"
  tar="$E2E_DIR/cache/bookworm-rootfs$([ "$arch" = "$ARCH" ] || echo "-$arch").tar"
  exists "$name" && return
  if [ ! -s "$tar" ]; then
    echo "e2e: mmdebstrap bookworm rootfs ($arch)"
    mmdebstrap --quiet --format=tar --variant=minbase --architectures="$(echo "$arch" | sed 's/x86_64/amd64/')" \
      --include=python3,python3-pip,ca-certificates,curl bookworm "$tar.part"
    mv "$tar.part" "$tar"
  fi
  podman import --quiet --arch "$(echo "$arch" | sed 's/x86_64/amd64/')" "$tar" "$name" >/dev/null
}

ctx="$(mktemp -d)"
trap 'rm -rf "$ctx"' EXIT
cp "$HERE"/stand-ins/* "$ctx/"
cp /etc/ssl/certs/ca-certificates.crt "$ctx/host-ca-certificates.crt"
chmod 755 "$ctx/lambda-entrypoint.sh" "$ctx/python-bootstrap"

build() { # arch name dockerfile [build args...]
  local arch="$1" name="$2" file="$3"; shift 3
  if current "$name"; then echo "e2e: stand-in $name (cached)"; return; fi
  echo "e2e: building stand-in $name"
  cp "$E2E_DIR/bin/aws-lambda-rie-$arch" "$ctx/aws-lambda-rie" && chmod 755 "$ctx/aws-lambda-rie"
  podman build --quiet --network host --platform "linux/$(echo "$arch" | sed 's/x86_64/amd64/')" --label "e2e.stand-ins=$STANDINS" \
    "$@" --file "$ctx/$file" --tag "$name" "$ctx" >/dev/null
}
rootfs "$ARCH"
build "$ARCH" localhost/e2e-base:bookworm rootfs.Dockerfile
build "$ARCH" "public.ecr.aws/lambda/python:3.13-$ARCH" lambda-python.Dockerfile
build "$ARCH" "public.ecr.aws/lambda/provided:al2023-$ARCH" lambda-provided.Dockerfile
build "$ARCH" "docker.io/library/python:3.13-slim" python-slim.Dockerfile
build "$ARCH" docker.io/library/node:22-bookworm-slim node-slim.Dockerfile
# The images the deploy emulator runs zip functions in (it asks for these names; host architecture):
# integ-tests-alpha's assertion provider and the in-use marker (Node.js), S3 notifications (Python).
build "$ARCH" public.ecr.aws/lambda/nodejs:22 lambda-nodejs.Dockerfile --build-arg "NODE_PACKAGE=node-linux-$(echo "$ARCH" | sed 's/x86_64/x64/')"
# Newer aws-cdk-lib releases give their own Node.js handlers (the assertion provider) the newest
# Lambda runtime (nodejs24.x in 2.278): the matrix's newest leg (scripts/compat.sh) deploys those.
build "$ARCH" public.ecr.aws/lambda/nodejs:24 lambda-nodejs.Dockerfile --build-arg "NODE_PACKAGE=node-linux-$(echo "$ARCH" | sed 's/x86_64/x64/')" \
  --build-arg NODE_VERSION=24.22.1
podman tag "public.ecr.aws/lambda/python:3.13-$ARCH" public.ecr.aws/lambda/python:3.13
# BaseImage.nodejs('22') names the architecture's tag (e2e/reload.e2e.ts runs a Node.js function on it).
podman tag public.ecr.aws/lambda/nodejs:22 "public.ecr.aws/lambda/nodejs:22-$ARCH"
# RuntimeInterfaceClient.java() and .go() (e2e/ric-sizes.e2e.ts): the build images their recipes
# name, a Java base to run on, and a plain Debian one for Go (host architecture).
build "$ARCH" docker.io/library/eclipse-temurin:21-jre temurin-jre.Dockerfile
build "$ARCH" docker.io/library/maven:3-eclipse-temurin-21 maven-temurin.Dockerfile
build "$ARCH" docker.io/library/golang:1.24 golang.Dockerfile
podman tag localhost/e2e-base:bookworm docker.io/library/debian:bookworm-slim

# The example app's arm64 functions (thumbnailer, custom runtime) on an x86_64 machine: their AWS
# base images for arm64, built and run under QEMU (scripts/e2e/qemu.sh). Slow once, then cached.
if [ "$ARCH" = x86_64 ]; then
  rootfs arm64
  build arm64 localhost/e2e-base:bookworm-arm64 rootfs.Dockerfile --build-arg ROOTFS=localhost/e2e-rootfs:bookworm-arm64
  build arm64 public.ecr.aws/lambda/python:3.13-arm64 lambda-python.Dockerfile --build-arg BASE=localhost/e2e-base:bookworm-arm64
  build arm64 public.ecr.aws/lambda/provided:al2023-arm64 lambda-provided.Dockerfile --build-arg BASE=localhost/e2e-base:bookworm-arm64
fi

# cdk-assets reuses a local cdkasset-<hash> image by its asset hash, which does not cover the base
# image: images built on other stand-ins than these (they inherit the label) go, so a deploy pushes
# what a fresh machine would build (README, Troubleshooting).
stale="$(podman images --format '{{.ID}}|{{.Repository}}|{{index .Labels "e2e.stand-ins"}}' \
  | awk -F'|' -v current="$STANDINS" '$2 ~ /^localhost\/cdkasset-/ && $3 != "" && $3 != current { print $1 }' | sort -u)"
if [ -n "$stale" ]; then
  echo "e2e: removing $(echo "$stale" | wc -l) cdkasset image(s) built on earlier stand-ins"
  podman rmi --force $stale >/dev/null
fi
