#!/usr/bin/env bash
# cfn-lint on the committed templates of the integ snapshots (the example app as synthesized).
# Installs cfn-lint from PyPI into .tmp/ on first use, so a fresh machine needs only python3.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.tmp/cfn-lint-venv
if [ ! -x "$VENV/bin/cfn-lint" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check cfn-lint==1.58.0
fi
# Templates with resources (integ-runner's assertion stacks are empty when a test has no assertions).
mapfile -t templates < <(grep -l '"Resources"' integ/*.snapshot/*.template.json | grep -v 'DeployAssert')
mapfile -t assertions < <(grep -l '"Resources"' integ/*.snapshot/*DeployAssert*.template.json || true)
[ "${#templates[@]}" -gt 0 ] || { echo "cfn-lint: no templates found under integ/*.snapshot" >&2; exit 1; }
# W3005: aws-cdk-lib's lambda.Function adds an explicit DependsOn on its role beside the GetAtt (harmless).
"$VENV/bin/cfn-lint" --ignore-checks W3005 -- "${templates[@]}"
# integ-tests-alpha's assertion stacks: its invokeFunction policy names `lambda:Invoke` beside
# `lambda:InvokeFunction` (W3037: not an IAM action); everything else is checked.
[ "${#assertions[@]}" -eq 0 ] || "$VENV/bin/cfn-lint" --ignore-checks W3005 W3037 -- "${assertions[@]}"
# A bounded sample of the templates the property tests accepted (test/construct-props.property.test.ts
# writes them when jest runs, before this task in `npx projen test`).
mapfile -t sampled < <(ls .tmp/property-templates/*.template.json 2>/dev/null || true)
if [ "${CI:-}" = true ] && [ "${#sampled[@]}" -eq 0 ]; then
  echo "cfn-lint: no property-test templates in .tmp/property-templates (jest runs first in npx projen test)" >&2
  exit 1
fi
[ "${#sampled[@]}" -eq 0 ] || "$VENV/bin/cfn-lint" --ignore-checks W3005 -- "${sampled[@]}"
echo "cfn-lint: $(( ${#templates[@]} + ${#assertions[@]} )) snapshot template(s) and ${#sampled[@]} property-test template(s), no findings"
