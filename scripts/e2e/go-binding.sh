#!/usr/bin/env bash
# The Go binding as a Go user gets it: jsii-pacmak generates the Go module
# (dist/go/cdklambdacontainer), and the machine's Go runs e2e/go's app against it (a `replace` in
# e2e/go/go.mod) with aws-cdk-go, constructs-go and jsii-runtime-go from the Go module proxy, at the
# versions e2e/go/go.mod and go.sum pin: checked here against the ones this package is built
# against. Module and build caches live under E2E_DIR (reused); nothing is built into the repository.
# Usage: go-binding.sh <examples> <outdir>
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$E2E_REPO"
# Go comes with the machine image (/usr/local/go). Debian's golang (1.19) is too old for these
# modules (go 1.25) and no other Go can be installed here: a missing one fails the test.
if ! command -v go >/dev/null && [ -x /usr/local/go/bin/go ]; then export PATH="/usr/local/go/bin:$PATH"; fi
if ! command -v go >/dev/null; then
  echo "e2e: no Go toolchain on PATH (the Go binding test needs Go 1.25 or newer)" >&2
  exit 1
fi
# The machine's GOPROXY, GOSUMDB and GOFLAGS as they are; never a toolchain download.
export GOTOOLCHAIN=local GOMODCACHE="$E2E_DIR/go/mod" GOCACHE="$E2E_DIR/go/build"

# --code-only: jsii-pacmak's own build check runs `go mod tidy` on the generated go.mod, which
# requires cloud-assembly-schema-go v53.28.0, a version the Go module proxy refuses here (see
# e2e/go/go.mod). The module is compiled whole below instead, against what e2e/go/go.mod resolves.
jsii_package go --code-only
GENERATED="$E2E_REPO/dist/go/cdklambdacontainer"
cd e2e/go

# The versions the app resolves (go.mod must not need updating: -mod=readonly, Go's default).
selected() { go list -m -f '{{if .Replace}}{{.Replace.Version}}{{else}}{{.Version}}{{end}}' "$1"; }
required() { go mod edit -json "$GENERATED/go.mod" | node -e "
  const m = JSON.parse(require('fs').readFileSync(0, 'utf8'));
  console.log(((m.Require || []).find(r => r.Path === process.argv[1]) || {}).Version || '')" "$1"; }
check() {
  if [ "$2" != "$3" ]; then
    echo "e2e: $1 is $2 in e2e/go but must be $3 ($4): update e2e/go/go.mod and go.sum (go mod tidy)" >&2
    exit 1
  fi
}
check github.com/aws/aws-cdk-go/awscdk/v2 "$(selected github.com/aws/aws-cdk-go/awscdk/v2)" "v$CDK" "aws-cdk-lib in package.json"
check github.com/aws/aws-cdk-go/awscdk/v2 "$(required github.com/aws/aws-cdk-go/awscdk/v2)" "v$CDK" "what the generated module requires"
check github.com/aws/constructs-go/constructs/v10 "$(selected github.com/aws/constructs-go/constructs/v10)" "v$CONSTRUCTS" "constructs in package.json"
check github.com/aws/jsii-runtime-go "$(selected github.com/aws/jsii-runtime-go)" "$(required github.com/aws/jsii-runtime-go)" "what the generated module requires"

# Every package of the generated module compiles (what jsii-pacmak's build check would do), then the app runs.
go build example.invalid/cdk-lambda-container-go/cdklambdacontainer/...
go run . "$1" "$2" >&2
