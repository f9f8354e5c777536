#!/usr/bin/env bash
# The Python binding as a Python user installs it: jsii-pacmak builds the wheel (dist/python),
# a venv under E2E_DIR gets aws-cdk-lib and constructs from PyPI at the versions this package is
# built and tested against (reused), then the freshly built wheel. Prints the venv's python.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$E2E_REPO"
# The binding is generated from .jsii: recompile when a source is newer.
if [ ! -f .jsii ] || [ -n "$(find src -name '*.ts' -newer .jsii | head -n 1)" ]; then npx projen compile >&2; fi
rm -rf dist/python
npx projen package:python >&2
CDK="$(node -p "require('./package.json').devDependencies['aws-cdk-lib']")"
CONSTRUCTS="$(node -p "require('./package.json').devDependencies.constructs")"
VENV="$E2E_DIR/python-binding-cdk$CDK"
if [ ! -x "$VENV/bin/python" ]; then
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "aws-cdk-lib==$CDK" "constructs==$CONSTRUCTS" dist/python/*.whl >&2
fi
"$VENV/bin/pip" install --quiet --disable-pip-version-check --force-reinstall --no-deps dist/python/*.whl >&2
echo "$VENV/bin/python"
