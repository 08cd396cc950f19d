#!/usr/bin/env bash
# The server under the load of issue #5: 50 CI clients submit scans to one `bulwark server`
# on 127.0.0.1 for a minute (SECONDS_OF_LOAD, default 60), with a scanner token. Every
# accepted scan must be recorded once; the run prints scans per second and the p99 latency.
# It is the ServerLoad test of tests/server/server_load_test.cc, run for longer.
#
#   bench/server-load.sh [BUILD_DIR]        (default build; `make bench-server` builds it)
set -euo pipefail
build=${1:-build}
seconds=${SECONDS_OF_LOAD:-60}
if [ ! -x "$build/server_test" ]; then
  echo "server-load: $build/server_test is missing; build first (make build)" >&2
  exit 2
fi
BULWARK_LOAD_SECONDS=$seconds "$build/server_test" \
  --gtest_filter='ServerLoad.ConcurrentScansAreEachRecordedOnce' --gtest_brief=0 \
  | grep -E '^server load:|^\[  (PASSED|FAILED) '
