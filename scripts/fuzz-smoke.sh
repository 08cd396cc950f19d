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
  # Version pairs from the ordering vectors as the fuzzer reads its input: an ecosystem byte
  # (d deb, a apk, r rpm, s semver, p pep440), then "a<newline>b".
  vc="$data/version-compare"
  pairs() {  # pairs BYTE FIELD_SEPARATOR A_FIELD B_FIELD FILE: 40 pairs from FILE
    awk -F "$2" -v e="$1" -v x="$3" -v y="$4" -v dir="$work/extracted" \
      'NF >= y && $1 !~ /^#/ && !(FS == "\t" && FNR == 1) && n < 40 {
         n++; f = dir "/pair-" e n; printf "%s%s\n%s", e, $x, $y > f; close(f) }' "$5"
  }
  pairs d ' ' 1 3 "$vc/osv-scalibr/debian-versions.txt"
  pairs a ' ' 1 3 "$vc/osv-scalibr/alpine-versions.txt"
  pairs r ' ' 1 3 "$vc/osv-scalibr/redhat-versions.txt"
  pairs r '\t' 1 2 "$vc/rpm-vercmp.tsv"
  pairs s '\t' 1 2 "$vc/semver-compare.tsv"
  pairs p '\t' 1 2 "$vc/pep440-normalize.tsv"
  awk -v dir="$work/extracted" 'NR > 1 && NR <= 41 {
      f = dir "/pair-p-sorted" NR; printf "p%s\n%s", prev, $0 > f; close(f) } { prev = $0 }' \
    "$vc/pep440-sorted.txt"
  seed version_compare_fuzzer "$work"/extracted/pair-*
  # Advisory feeds: real OSV records, the tracker sample, secdb YAML and JSON, a zip export
  # made of real records, and every CVSS vector the records carry (one per seed).
  vd="$data/vulndb"
  seed vulndb_osv_record_fuzzer $(find "$vd/ubuntu-osv" "$vd/debian/osv" "$vd/osv-schema" \
    -name '*.json' ! -name schema.json)
  seed vulndb_debian_tracker_fuzzer "$vd"/debian/security-tracker-json-sample/debian.json
  seed vulndb_alpine_secdb_fuzzer "$vd"/alpine-secdb/v3.*/*.yaml "$vd"/alpine-secdb/*/v3.*/*.json
  if command -v zip >/dev/null; then
    zip -q -j "$work/extracted/osv-export.zip" "$vd/debian/osv/DSA-3029-1.json" \
      "$vd/osv-schema/osv-linter-testdata/CVE-2018-5407.json"
    zip -q -j "$work/extracted/osv-one.zip" "$vd/debian/osv/DSA-3029-1.json"
    seed vulndb_osv_zip_fuzzer "$work"/extracted/osv-*.zip
  fi
  grep -rhoE '"CVSS:[0-9.]+/[A-Za-z:/]+"' "$vd" | tr -d '"' | sort -u \
    | awk -v dir="$work/extracted" '{ n++; f = dir "/cvss-" n; printf "%s", $0 > f; close(f) }'
  seed vulndb_cvss_fuzzer "$work"/extracted/cvss-*
else
  echo "fuzz: no third-party data at $data; fuzzing from empty corpora"
fi
# CVSS 4.0 vectors from the repository's own test data (the feeds above carry none).
mkdir -p "$work/cvss4"
grep -oE '^CVSS:4\.0/[A-Z:/]+' "$(dirname "$0")/../tests/vulndb/data/cvss4_base_vectors.txt" \
  | awk -v dir="$work/cvss4" 'NR % 10 == 1 { f = dir "/" NR; printf "%s", $0 > f; close(f) }'
seed vulndb_cvss_fuzzer "$work"/cvss4/*
# rpm: real header blobs and small databases that Debian's rpm and Berkeley DB write
# (tests/fixtures/make-rpmdb.sh); seeds/sqlite/* are shaped as rpm_sqlite_fuzzer splits them.
if "$(dirname "$0")/../tests/fixtures/make-rpmdb.sh" "$work/rpmdb" >"$work/rpmdb.log" 2>&1; then
  seed rpm_header_fuzzer "$work"/rpmdb/seeds/header/*
  seed rpm_bdb_fuzzer "$work"/rpmdb/seeds/bdb/*
  seed rpm_ndb_fuzzer "$work"/rpmdb/seeds/ndb/*
  seed rpm_sqlite_fuzzer "$work"/rpmdb/seeds/sqlite/*
else
  echo "fuzz: rpm seeds not built ($(tail -n 1 "$work/rpmdb.log")); rpm fuzzers start empty"
fi
seed policy_fuzzer examples/*.yaml
seed passwd_fuzzer /etc/passwd
# Server request parsers (issue #5): an analysis as a client uploads it, and the login and
# account bodies (first byte picks the parser: 0 Authorization header, 1 user, 2 token).
mkdir -p "$work/server"
printf '\0Basic YWRtaW46YWRtaW4tcGFzc3dvcmQ=' >"$work/server/basic"
printf '\0Bearer bwt_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG' >"$work/server/bearer"
printf '\1{"name": "ci", "role": "scanner", "password": "a-long-password"}' >"$work/server/user"
printf '\2{"name": "pipeline", "user": "ci"}' >"$work/server/token"
printf '\3{"name": "private", "url": "127.0.0.1:5000", "username": "ci", "password": "p", "insecure": true}' \
  >"$work/server/registry"
printf '\4{"registry": "private", "reference": "base:1.0", "names": ["registry.example.com/base:1.0"]}' \
  >"$work/server/pull"
seed server_request_fuzzer "$work"/server/*
config='{"architecture":"amd64","os":"linux","config":{"User":"app"},"rootfs":{"type":"layers",'
config+='"diff_ids":["sha256:'"$(printf a | sha256sum | cut -c1-64)"'"]}}'
config_id=$(printf '%s' "$config" | sha256sum | cut -c1-64)
jq -cn --arg config "$config" --arg id "sha256:$config_id" \
  --arg diff "sha256:$(printf a | sha256sum | cut -c1-64)" '{schemaVersion: 1, source: "x",
    imageId: $id, manifestDigest: null, names: ["r.example/app:1"], config: $config,
    layers: [{diffId: $diff, blobDigest: $diff, compression: "none"}],
    inventory: {os: {found: true, sourcePath: "etc/os-release", id: "debian", idLike: "",
      versionId: "12", versionCodename: "bookworm", prettyName: "Debian"},
      packages: [{ecosystem: "deb", name: "tzdata", version: "2024a-0+deb12u1",
        architecture: "all", sourceName: "tzdata", sourceVersion: "2024a-0+deb12u1",
        dbPath: "var/lib/dpkg/status", license: "", layerIndex: 0}],
      coverageGaps: [], users: [], passwdFound: false}}' >"$work/server/analysis.json"
seed scan_analysis_fuzzer "$work/server/analysis.json"
# Registry answers, Docker client configs and a credential helper's answer (fuzz/seeds).
for target in registry_auth_challenge registry_token_response registry_docker_config; do
  seed "${target}_fuzzer" "$(dirname "$0")/../fuzz/seeds/$target"/*
done

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
    # Keep the inputs that failed, so the finding can be reproduced:
    #   $fuzzer out/fuzz-artifacts/NAME-crash-...
    mkdir -p out/fuzz-artifacts
    for artifact in "$work"/crash-* "$work"/timeout-* "$work"/oom-* "$work"/leak-*; do
      [ -f "$artifact" ] || continue
      cp "$artifact" "out/fuzz-artifacts/$name-$(basename "$artifact")"
      echo "fuzz: kept out/fuzz-artifacts/$name-$(basename "$artifact")" >&2
      base64 -w 0 "$artifact" | head -c 4096 >&2
      echo >&2
    done
    rm -f "$work"/crash-* "$work"/timeout-* "$work"/oom-* "$work"/leak-*
    status=1
  fi
done
if [ "$count" -eq 0 ]; then
  echo "fuzz: no fuzz targets were built in $build" >&2
  exit 1
fi
exit $status
