#!/usr/bin/env bash
# The main job end to end on real Debian images, with the embedded store:
#   1. register the team's base image, 2. apply a policy that approves it,
#   3. scan an app built on it (compliant, exit 0), 4. scan the same app built on plain
#   Debian (non-compliant, exit 4), 5. show that approving an unregistered base is refused
#   (exit 2). Reports go to out/demo/.
#   scripts/demo.sh BULWARK_BINARY FIXTURES_DIR
#   DEMO_OUT=DIR puts the store and reports there instead (the suite runs it so).
set -uo pipefail
[ $# -eq 2 ] || { echo "usage: scripts/demo.sh BULWARK_BINARY FIXTURES_DIR" >&2; exit 2; }
bulwark=$(realpath "$1") fixtures=$(realpath "$2")
out=$(realpath -m "${DEMO_OUT:-$(pwd)/out/demo}")
cd "$(dirname "$0")/.."   # the policies it applies are under examples/
# Only what an earlier demo left there is removed: DEMO_OUT may hold other things.
rm -rf "$out/store" "$out"/app-on-approved.* "$out"/app-on-debian.* && mkdir -p "$out"
export BULWARK_DATA_DIR="$out/store"   # a fresh embedded store for a repeatable demo
failures=0

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
expect() {  # expect CODE COMMAND...: run, show, and check the exit code
  local want=$1; shift
  printf '$ %s\n' "$*"
  "$@"
  local got=$?
  if [ "$got" -eq "$want" ]; then
    printf -- '-> exit %d, as expected\n' "$got"
  else
    printf -- '-> exit %d, expected %d\n' "$got" "$want"
    failures=$((failures + 1))
  fi
}

step "1. Register the approved base image (Debian 12 + appuser, USER appuser)"
expect 0 "$bulwark" image register "oci-archive:$fixtures/approved-base.oci.tar" \
  --name registry.example.com/base:1.0
expect 0 "$bulwark" image list

step "2. Apply the policy that approves it and enforces"
cat examples/policy.yaml
expect 0 "$bulwark" policy apply examples/policy.yaml

step "3. Scan the app built FROM the approved base: compliant"
expect 0 "$bulwark" scan "docker-archive:$fixtures/app-on-approved.docker.tar" \
  --html "$out/app-on-approved.html" --json "$out/app-on-approved.json"

step "4. Scan the same app built FROM plain Debian: non-compliant"
expect 4 "$bulwark" scan "oci:$fixtures/oci/app-on-debian:latest" \
  --html "$out/app-on-debian.html" --json "$out/app-on-debian.json"

step "5. A policy approving a base that was never registered is refused"
expect 2 "$bulwark" policy apply examples/policy-unregistered-base.yaml

step "Done"
echo "Store:   $BULWARK_DATA_DIR"
echo "Reports: $out/app-on-approved.html  $out/app-on-debian.html  (and .json beside them)"
if [ "$failures" -ne 0 ]; then
  echo "demo: $failures step(s) did not end as expected" >&2
  exit 1
fi
