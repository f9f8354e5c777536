#!/usr/bin/env bash
# The Python binding as a Python user installs it: jsii-pacmak builds the wheel (dist/python),
# a venv under E2E_DIR gets aws-cdk-lib and constructs from PyPI at the versions this package is
# built and tested against (reused), then the freshly built wheel. Prints the venv's python.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$E2E_REPO"
jsii_package python
VENV="$E2E_DIR/python-binding-cdk$CDK"
if [ ! -x "$VENV/bin/python" ]; then
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "aws-cdk-lib==$CDK" "constructs==$CONSTRUCTS" dist/python/*.whl >&2
fi
"$VENV/bin/pip" install --quiet --disable-pip-version-check --force-reinstall --no-deps dist/python/*.whl >&2
echo "$VENV/bin/python"
