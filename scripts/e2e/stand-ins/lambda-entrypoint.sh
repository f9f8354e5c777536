#!/bin/sh
# Stand-in for the AWS base images' /lambda-entrypoint.sh: the handler is the one argument;
# without AWS_LAMBDA_RUNTIME_API (not under Lambda or an emulator) it starts the bundled RIE.
if [ $# -ne 1 ]; then
  echo "entrypoint requires the handler name to be the first argument" 1>&2
  exit 142
fi
export _HANDLER="$1"
RUNTIME_ENTRYPOINT=/var/runtime/bootstrap
if [ -z "${AWS_LAMBDA_RUNTIME_API}" ]; then
  exec /usr/local/bin/aws-lambda-rie $RUNTIME_ENTRYPOINT
else
  exec $RUNTIME_ENTRYPOINT
fi
