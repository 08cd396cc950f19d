#!/usr/bin/env bash
# Runs every libFuzzer target for a short time on a fresh corpus seeded from fuzz/corpus/NAME.
#   scripts/fuzz-smoke.sh BUILD_DIR SECONDS
set -euo pipefail
build=$1 seconds=${2:-20}
work=$(mktemp -d -t bulwark-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
status=0 count=0
for fuzzer in "$build"/*_fuzzer; do
  [ -x "$fuzzer" ] || continue
  name=$(basename "$fuzzer")
  mkdir -p "$work/$name"
  seeds=()
  [ -d "fuzz/corpus/$name" ] && seeds=("fuzz/corpus/$name")
  count=$((count + 1))
  if "$fuzzer" -max_total_time="${seconds}" -max_len=65536 -rss_limit_mb=1024 \
      -artifact_prefix="$work/" "$work/$name" "${seeds[@]}" >"$work/$name.log" 2>&1; then
    echo "fuzz: $name ran ${seconds}s with no finding"
  else
    echo "fuzz: $name FAILED; log tail:" >&2
    tail -n 40 "$work/$name.log" >&2
    status=1
  fi
done
if [ "$count" -eq 0 ]; then
  echo "fuzz: no fuzz targets were built in $build" >&2
  exit 1
fi
exit $status
