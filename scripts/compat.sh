#!/usr/bin/env bash
# The compatibility matrix's newest leg: the unit suite, the integ snapshots and the deploy suite
# against the newest aws-cdk-lib and CDK CLI (the main CI run covers the lowest: package.json's
# aws-cdk-lib, aws-cdk and integ-runner).
#
#   scripts/compat.sh <aws-cdk-lib version> <aws-cdk (CLI) version>
#
# (.ci/run passes COMPAT_NEWEST_LIB and COMPAT_NEWEST_CLI from its first lines; without arguments
# the script takes those variables, or else the newest versions the registry serves.)
#
# It runs in a copy of the repository (.tmp/compat-newest: the files git tracks or would track,
# as they are in the working tree) with its own node_modules: `npm install` from the lock, then
# `npm install --no-save` of the newest aws-cdk-lib, CLI, cdk-assets, integ-runner and toolkit
# library. The repository's own node_modules is never touched. In the copy:
#   1. versions: what is installed is what was asked for (or the leg fails);
#   2. jsii compiles src/ against the newest aws-cdk-lib;
#   3. the unit suite (jest --ci, every test and snapshot; README snippets and eslint do not depend
#      on the version and run in the main leg only);
#   4. integ snapshots: integ-runner cannot read the newest assembly (checked: the step fails once
#      it can, to switch back), so e2e/compat/integ-snapshots.compat.ts runs integ-runner's snapshot
#      comparison through @aws-cdk/toolkit-lib;
#   5. the deploy suite on the emulator (e2e/deploy.e2e.ts: `cdk deploy` with the newest CLI, which
#      publishes the images itself) and the integ tests deployed with their assertions through the
#      newest CLI (e2e/compat/integ-deploy.compat.ts). The standalone cdk-assets cannot read the
#      newest asset manifests (checked like integ-runner), so e2e/publish.e2e.ts stays in the main leg.
# Uses the e2e services, the repository's own (scripts/e2e/setup.sh: run this after `npm install`;
# serialize with `flock /tmp/e2e.lock` where others run them too; they keep running afterwards,
# without the lock). Test reports: .tmp/compat-newest/test-reports/compat-*.json.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
LIB="${1:-${COMPAT_NEWEST_LIB:-$(npm view aws-cdk-lib version)}}"
CLI="${2:-${COMPAT_NEWEST_CLI:-$(npm view 'aws-cdk@<3' version | tail -n 1 | sed -E "s/.*'(.*)'.*/\1/")}}"
export COMPAT_NEWEST_LIB="$LIB" COMPAT_NEWEST_CLI="$CLI"
COPY="$ROOT/.tmp/compat-newest"
started=$SECONDS
step() { echo "== compat (aws-cdk-lib $LIB, CLI $CLI): $* [$((SECONDS - started)) s]"; }

step "copy of the working tree in ${COPY#"$ROOT"/}"
mkdir -p "$COPY"
find "$COPY" -mindepth 1 -maxdepth 1 ! -name node_modules -exec rm -rf {} +
git ls-files -z --cached --others --exclude-standard \
  | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
  | tar --null -T - -cf - | tar -xf - -C "$COPY"
cd "$COPY"

step "npm install (the lock), then the newest versions without saving"
npm install --no-audit --no-fund >/dev/null
# integ-tests-alpha is released with aws-cdk-lib when at all: the newest release not newer than LIB.
ALPHA="$(npm view @aws-cdk/integ-tests-alpha versions --json | node -e '
  const lib = process.argv[1].split(".").map(Number);
  const older = v => { const b = v.split("-")[0].split(".").map(Number); return b[0] < lib[0] || (b[0] === lib[0] && (b[1] < lib[1] || (b[1] === lib[1] && b[2] <= lib[2]))); };
  const all = JSON.parse(require("fs").readFileSync(0, "utf8")).filter(v => /^2\.\d+\.\d+-alpha\.\d+$/.test(v) && older(v));
  console.log(all[all.length - 1]);' "$LIB")"
npm install --no-save --no-audit --no-fund "aws-cdk-lib@$LIB" "aws-cdk@$CLI" cdk-assets@latest @aws-cdk/integ-runner@latest \
  "@aws-cdk/integ-tests-alpha@$ALPHA" @aws-cdk/toolkit-lib@latest @aws-cdk/cloudformation-diff@latest >/dev/null
# The tasks' PATH, as projen gives it: the project's Node.js (node_modules/.bin/node) and CLIs first.
export PATH="$COPY/node_modules/.bin:$PATH"

step "versions"
node -e '
  const [lib, cli] = process.argv.slice(1);
  const v = p => require(p + "/package.json").version;
  const cdk = require("child_process").execFileSync("cdk", ["--version"], { encoding: "utf8" }).trim();
  console.log(`node ${process.version}; aws-cdk-lib ${v("aws-cdk-lib")}; aws-cdk (CLI) ${cdk}; cdk-assets ${v("cdk-assets")}; ` +
    `@aws-cdk/integ-runner ${v("@aws-cdk/integ-runner")}; @aws-cdk/integ-tests-alpha ${v("@aws-cdk/integ-tests-alpha")}; ` +
  `@aws-cdk/toolkit-lib ${v("@aws-cdk/toolkit-lib")}`);
  if (v("aws-cdk-lib") !== lib || !cdk.startsWith(cli + " ")) { console.error(`expected aws-cdk-lib ${lib} and CLI ${cli}`); process.exit(1); }
' "$LIB" "$CLI"

step "jsii compiles against aws-cdk-lib $LIB"
npx projen compile

step "unit suite (jest --ci)"
npx jest --ci --coverage=false --json --outputFile=test-reports/compat-unit.json

step "integ snapshots"
# The gap, checked: the newest integ-runner the registry serves refuses the newest assembly. Once a
# release reads it, this fails: run `npx projen integ` in this leg instead.
if out="$(npx integ-runner --directory integ --language typescript --parallel-regions us-east-1 integ.extension-layers.ts 2>&1)"; then
  echo "integ-runner $(node -p 'require("@aws-cdk/integ-runner/package.json").version') now reads aws-cdk-lib $LIB's assembly: run its snapshot test in this leg" >&2
  exit 1
fi
grep -q 'Maximum schema version supported is 53' <<<"$out" || { echo "$out" >&2; echo "integ-runner failed otherwise than on the schema version" >&2; exit 1; }
echo "integ-runner $(node -p 'require("@aws-cdk/integ-runner/package.json").version'): $(grep -o 'Maximum schema version supported is [^.]*.x.x, but found [0-9.]*' <<<"$out" | head -n 1) (known: comparing through @aws-cdk/toolkit-lib)"
# The same for the standalone cdk-assets (e2e/publish.e2e.ts): the CLI publishes with its own copy.
rm -rf .tmp/compat-example && (cd examples && cdk synth --quiet --no-notices -o ../.tmp/compat-example >/dev/null)
if out="$(cdk-assets ls -p .tmp/compat-example/LambdaContainerExample.assets.json 2>&1)"; then
  echo "cdk-assets $(node -p 'require("cdk-assets/package.json").version') now reads aws-cdk-lib $LIB's asset manifests: add e2e/publish.e2e.ts to this leg" >&2
  exit 1
fi
grep -q 'Maximum schema version supported is' <<<"$out" || { echo "$out" >&2; echo "cdk-assets failed otherwise than on the schema version" >&2; exit 1; }
echo "cdk-assets $(node -p 'require("cdk-assets/package.json").version'): $(grep -o 'Maximum schema version supported is [^.]*.x.x, but found [0-9.]*' <<<"$out" | head -n 1) (known: cdk deploy publishes with the CLI's own)"
npx jest --config e2e/jest.config.json --ci --runInBand --testMatch '<rootDir>/e2e/compat/integ-snapshots.compat.ts' \
  --json --outputFile=test-reports/compat-integ-snapshots.json

step "deploy suite on the emulator (e2e/deploy.e2e.ts) and the integ tests deployed through the CLI"
# The services are the repository's own (its scripts and shims, not the copy's), shared with the
# main leg. They outlive this script: they must not inherit a lock its caller holds (`flock
# /tmp/e2e.lock scripts/compat.sh` passes it as fd 3), or it would stay locked after.
"$ROOT/scripts/e2e/setup.sh" 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-
npx jest --config e2e/jest.config.json --ci --runInBand --testMatch '<rootDir>/e2e/deploy.e2e.ts' '<rootDir>/e2e/compat/integ-deploy.compat.ts' \
  --json --outputFile=test-reports/compat-e2e.json

step "done"
