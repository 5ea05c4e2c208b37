#!/bin/sh
# The smsgw image's entrypoint: the first argument says what the container runs.
#
#   edge | router | connector | dlr-dispatcher   that service, exactly as its package.json "start"
#                                                script runs it (node src/main.ts in services/<name>)
#   smsgw <command> …                            the CLI (the Helm chart's accounts Job and helm test)
#
# exec replaces the shell, so the service is PID 1 and receives SIGTERM itself (graceful drain).
set -eu

what="${1:-}"
case "$what" in
  edge | router | connector | dlr-dispatcher)
    shift
    cd "/app/services/$what"
    # The telemetry preload starts OpenTelemetry before any module it instruments is loaded (grpc, http).
    exec node --import @smsgw/telemetry/register src/main.ts "$@"
    ;;
  smsgw)
    shift
    exec node /app/packages/cli/src/main.ts "$@"
    ;;
  *)
    echo "usage: edge | router | connector | dlr-dispatcher | smsgw <command> [options]" >&2
    exit 2
    ;;
esac
