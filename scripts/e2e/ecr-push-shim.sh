#!/usr/bin/env bash
# CDK_DOCKER for deploys to the emulator (a named shim for one gap of ministack): ECR's
# DescribeRepositories answers with repository URIs on <account>.dkr.ecr.<region>.amazonaws.com,
# as real ECR does, so cdk-assets tags and pushes to that host. This wrapper sends those pushes to
# the emulator's registry (same repository and tag) and makes `login` a no-op (the emulator's
# registry needs none); every other command is the engine's. e2e/deploy.e2e.ts asks the emulator's
# registry itself for every image a template names, so a push this shim dropped fails the suite.
# With E2E_PUSH_LOG set, each redirected push is appended to that file (the suite counts them).
case "${1:-}" in
  login) cat >/dev/null; exit 0 ;;
  push)
    ref="$2"; host="${ref%%/*}"
    if [[ "$host" == *.dkr.ecr.*.amazonaws.com ]]; then
      [ -z "${E2E_PUSH_LOG:-}" ] || echo "$ref" >> "$E2E_PUSH_LOG"
      exec podman push --quiet --tls-verify=false "$ref" "docker://127.0.0.1:${E2E_MINISTACK_PORT:?}/${ref#*/}"
    fi ;;
esac
exec podman "$@"
