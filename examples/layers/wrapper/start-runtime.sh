#!/bin/sh
# Wrapper script (AWS_LAMBDA_EXEC_WRAPPER): runs before the Python runtime and starts it.
# The task root is read-only on Lambda: do not try to write .pyc files there.
export PYTHONDONTWRITEBYTECODE=1
exec "$@"
