#!/usr/bin/env bash
# The Java binding as a Java user gets it: jsii-pacmak builds the Maven artifact (dist/java), and
# Maven (from Debian's packages) runs e2e/java's app against it with aws-cdk-lib from Maven Central,
# with a local repository under E2E_DIR (reused; this package's own artifact is dropped from it
# every run, so the build just made is the one used). Usage: java-binding.sh <examples> <outdir>
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$E2E_REPO"
if ! command -v mvn >/dev/null || ! command -v javac >/dev/null; then
  echo "e2e: installing maven default-jdk-headless (apt)" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq maven default-jdk-headless >/dev/null
fi
jsii_package java
M2="$E2E_DIR/m2"
rm -rf "$M2/io/github/cdklambdacontainer"
mvn -B -q -f e2e/java/pom.xml -Dmaven.repo.local="$M2" -Dbinding.repo="$E2E_REPO/dist/java" \
  -Dcdk.version="$CDK" -Dconstructs.version="$CONSTRUCTS" compile exec:java -Dexec.args="$1 $2" >&2
