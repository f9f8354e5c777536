# Sourced by the end-to-end scripts: a container engine (podman/buildah, rootful, overlay or vfs, chroot
# isolation, runc) whose storage, configuration and auth live under E2E_DIR, not the machine's.
E2E_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# Outside the work tree (jest and git stay out of image storage) and kept between runs on one machine.
export E2E_DIR="${E2E_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk-lambda-container/e2e}"
export CONTAINERS_CONF="$E2E_DIR/conf/containers.conf"
export CONTAINERS_STORAGE_CONF="$E2E_DIR/conf/storage.conf"
export CONTAINERS_REGISTRIES_CONF="$E2E_DIR/conf/registries.conf"
export REGISTRY_AUTH_FILE="$E2E_DIR/conf/auth.json"
export BUILDAH_ISOLATION=chroot
# The engine the local tooling and cdk-assets use.
export CDK_DOCKER=podman
# The local tools' credential chain: no instance metadata service on these machines (see .ci/run).
export AWS_EC2_METADATA_DISABLED=true
export E2E_REGISTRY=127.0.0.1:5000
export E2E_RIE="$E2E_DIR/bin/aws-lambda-rie"
# The deploy emulator (scripts/e2e/ministack.sh): its port, account and region, and the engine's
# Docker-compatible API it runs image functions through.
export E2E_MINISTACK_PORT="${E2E_MINISTACK_PORT:-4567}"
export E2E_MINISTACK_SHIM_PORT="${E2E_MINISTACK_SHIM_PORT:-4568}"
export E2E_MINISTACK_ACCOUNT=000000000000
export E2E_MINISTACK_REGION=us-east-1
export E2E_DOCKER_SOCKET="$E2E_DIR/run/podman.sock"

# jsii_package <target> [jsii-pacmak option...]: builds one jsii binding into dist/<target> from a
# current .jsii (the sources are recompiled first when one is newer) with the package:<target> task,
# or, given options, with that task's command (jsii-pacmak -v --target <target>) and the options;
# sets CDK and CONSTRUCTS to the versions this package is built and tested against. Used by the
# binding scripts.
jsii_package() {
  local target="$1"
  shift
  (cd "$E2E_REPO"
    if [ ! -f .jsii ] || [ -n "$(find src -name '*.ts' -newer .jsii | head -n 1)" ]; then npx projen compile >&2; fi
    rm -rf "dist/$target"
    if [ $# -eq 0 ]; then npx projen "package:$target" >&2; else npx jsii-pacmak -v --target "$target" "$@" >&2; fi)
  CDK="$(cd "$E2E_REPO" && node -p "require('./package.json').devDependencies['aws-cdk-lib']")"
  CONSTRUCTS="$(cd "$E2E_REPO" && node -p "require('./package.json').devDependencies.constructs")"
}
