#!/usr/bin/env bash
# Runs every libFuzzer target for a short time. Each starts from seeds: real inputs from the
# third-party data beside the checkout (../shared/data, or $BULWARK_SHARED_DATA) when present,
# and the repository's examples. Any crash, leak, hang or sanitizer report fails the run.
#   scripts/fuzz-smoke.sh BUILD_DIR SECONDS
set -euo pipefail
build=$1 seconds=${2:-20}
data=${BULWARK_SHARED_DATA:-../shared/data}
work=$(mktemp -d -t bulwark-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT

# seed NAME FILE...: copies the existing files of at most 64 KiB into NAME's seed corpus.
seed() {
  local name=$1; shift
  mkdir -p "$work/seeds/$name"
  local file
  for file in "$@"; do
    if [ -f "$file" ] && [ "$(stat -c %s "$file")" -le 65536 ]; then
      cp "$file" "$work/seeds/$name/$(echo "$file" | sha256sum | cut -c1-16)"
    fi
  done
}
if [ -d "$data" ]; then
  seed dpkg_status_fuzzer "$data"/package-dbs/dpkg/*
  seed os_release_fuzzer $(find "$data/os-release" -name os-release)
  seed image_manifest_fuzzer "$data"/images/oci-image-spec/examples/*.json
  seed image_archive_fuzzer "$data"/images/go-containerregistry/tarball/*.tar
  seed layer_reader_fuzzer $(find "$data/images/go-containerregistry/layout" -type f -size -64k)
  mkdir -p "$work/extracted"
  if tar -xzOf "$data/images/alpine-minirootfs/alpine-minirootfs-3.20.3-x86_64.tar.gz" \
      ./lib/apk/db/installed >"$work/extracted/installed" 2>/dev/null; then
    seed apk_installed_fuzzer "$work/extracted/installed"
  fi
  # Version pairs from the ordering vectors: "a<newline>b", as the fuzzer splits its input.
  head -n 40 "$data/version-compare/osv-scalibr/debian-versions.txt" \
    "$data/version-compare/osv-scalibr/alpine-versions.txt" 2>/dev/null \
    | awk 'NF == 3 { n++; printf "%s\n%s", $1, $3 > (dir "/pair" n) }' dir="$work/extracted"
  seed version_compare_fuzzer "$work"/extracted/pair*
else
  echo "fuzz: no third-party data at $data; fuzzing from empty corpora"
fi
seed policy_fuzzer examples/*.yaml
seed passwd_fuzzer /etc/passwd

status=0 count=0
for fuzzer in "$build"/*_fuzzer; do
  [ -x "$fuzzer" ] || continue
  name=$(basename "$fuzzer")
  count=$((count + 1))
  mkdir -p "$work/corpus/$name" "$work/seeds/$name"
  if "$fuzzer" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=30 \
      -artifact_prefix="$work/" "$work/corpus/$name" "$work/seeds/$name" \
      >"$work/$name.log" 2>&1; then
    echo "fuzz: $name ran ${seconds}s with no finding ($(grep -c '' <(ls "$work/seeds/$name")) seeds)"
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
