#!/usr/bin/env bash
# Bulwark's benchmark: cold, warm and incremental scans of the same image side by side with
# Trivy's inventory and with the floors (igzip decompression, sha256 of the input), for each
# of the docker-archive, oci-archive and oci inputs. Prints a Markdown table with the median
# wall time and peak RSS of each measure, its ratio and the target of issue #3. What each
# row means: docs/benchmarks.md.
#
#   bench/run.sh            (usually through `make bench`)
#
# Environment (all optional):
#   BULWARK     the binary (default build/bulwark in this checkout)
#   FIXTURES    fixture images from tests/fixtures/make-images.sh, built when missing
#               (default $BULWARK_FIXTURES, else /var/cache/bulwark/fixtures)
#   RUNS        runs per measure, the median is reported (default 5)
#   TRIVY       a Trivy binary; default: fetched by bench/get-trivy.sh, Trivy rows are
#               skipped with a message when it cannot be fetched; TRIVY=none skips them
#   BENCH_OUT   where the table and the reports of the last runs go (default out/bench)
#
# Exits 0 when the benchmark ran, whatever the targets say (a MISS is a result, shown in the
# table); 1 when a measure that must work (a Bulwark scan, a floor) failed, or an
# environment variable above is not usable (named in the message).
set -euo pipefail
export LC_ALL=C

repo=$(cd "$(dirname "$0")/.." && pwd)
bulwark=$(realpath "${BULWARK:-$repo/build/bulwark}")
fixtures=$(realpath -m "${FIXTURES:-${BULWARK_FIXTURES:-/var/cache/bulwark/fixtures}}")
runs=${RUNS:-5}
out=$(realpath -m "${BENCH_OUT:-$repo/out/bench}")
trivy=${TRIVY:-}
image=app-on-approved
base=approved-base
large=app-large
base_name=registry.example.com/base:1.0
formats=(docker-archive oci-archive oci)

say() { echo "bench: $*" >&2; }
die() { echo "bench: $*" >&2; exit 1; }

for tool in /usr/bin/time igzip openssl jq skopeo umoci; do
  command -v "$tool" >/dev/null || die "$tool is missing; run scripts/install-deps.sh"
done
[ -x "$bulwark" ] || die "no Bulwark binary at $bulwark; run make build (or set BULWARK)"
[[ "$runs" =~ ^[1-9][0-9]?$ ]] || die "RUNS=$runs: give a whole number of runs from 1 to 99"
if [ -n "$trivy" ] && [ "$trivy" != none ] && [ ! -x "$trivy" ]; then
  die "TRIVY=$trivy: not an executable file; leave TRIVY unset to fetch it, or set TRIVY=none"
fi

# Inputs: the fixtures, the 2x image, and Trivy.
if [ ! -s "$fixtures/manifest.txt" ]; then
  say "building the fixture images in $fixtures"
  "$repo/tests/fixtures/make-images.sh" "$fixtures" >&2
fi
if [ ! -s "$fixtures/bench/$large.oci.tar" ]; then
  say "building the 2x image in $fixtures/bench"
  "$repo/bench/make-large-image.sh" "$fixtures" "$fixtures/bench" >&2
fi
if [ -z "$trivy" ]; then
  trivy=$("$repo/bench/get-trivy.sh") || {
    say "Trivy is not available; its rows are left out (see the message above)"
    trivy=none
  }
fi
trivy_version=none
if [ "$trivy" != none ]; then
  trivy_version=$("$trivy" --version 2>/dev/null | sed -n 's/^Version: //p' | head -n 1)
fi

work=$(mktemp -d -t bulwark-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

# image_dir NAME: where that image's files live (the 2x image sits in its own folder).
image_dir() { if [ "$1" = "$large" ]; then echo "$fixtures/bench"; else echo "$fixtures"; fi; }

# source_arg FORMAT NAME: the SOURCE argument Bulwark takes for that input.
source_arg() {
  local dir
  dir=$(image_dir "$2")
  case $1 in
    docker-archive) echo "docker-archive:$dir/$2.docker.tar" ;;
    oci-archive) echo "oci-archive:$dir/$2.oci.tar" ;;
    oci) echo "oci:$dir/oci/$2:latest" ;;
  esac
}

# input_path FORMAT NAME: the file or directory behind the input (what Trivy is given).
input_path() { local s; s=$(source_arg "$1" "$2"); s=${s#*:}; echo "${s%:latest}"; }

# input_files FORMAT NAME: every file of the input, for the sha256 floor.
input_files() { find "$(input_path "$1" "$2")" -type f | sort; }

# layout FORMAT NAME: an OCI layout holding the input's blobs (an oci-archive is unpacked
# into the scratch folder once, outside any timing).
layout() {
  local path
  path=$(input_path "$1" "$2")
  if [ "$1" = oci ]; then echo "$path"; return; fi
  local dir="$work/unpacked/$2"
  if [ ! -d "$dir" ]; then mkdir -p "$dir" && tar -C "$dir" -xf "$path"; fi
  echo "$dir"
}

# gzip_layers FORMAT NAME: the image's gzip layer blobs, bottom first.
gzip_layers() {
  local dir manifest
  dir=$(layout "$1" "$2")
  manifest=$(jq -r '.manifests[0].digest | sub(":"; "/")' "$dir/index.json")
  jq -r '.layers[] | select(.mediaType | endswith("gzip")) | .digest | sub(":"; "/")' \
    "$dir/blobs/$manifest" | sed "s|^|$dir/blobs/|"
}

# new_gzip_layers FORMAT: the app's gzip layers that its base does not have (by digest).
new_gzip_layers() {
  local path
  while read -r path; do
    gzip_layers "$1" "$base" | grep -q "/${path##*/}\$" || echo "$path"
  done < <(gzip_layers "$1" "$image")
}

cat >"$work/blocked.yaml" <<'EOF'
# Needs the full package inventory: every layer is read and catalogued.
name: bench-blocked-package
enforce: true
controls:
  blockedPackages:
    - name: telnet
EOF
cat >"$work/incremental.yaml" <<EOF
# The approved-base policy, plus a blocked package so the inventory is still complete.
name: bench-approved-base
enforce: true
controls:
  approvedBaseImages:
    - $base_name
  blockedPackages:
    - name: telnet
EOF

# Measuring. measure KEY SETUP COMMAND...: runs SETUP (untimed) then COMMAND, RUNS times,
# with stdout discarded. Sets median[KEY] (seconds) and peak[KEY] (MB, the largest of the
# runs); on a failed run sets failed[KEY] to the exit code and the last line of stderr.
declare -A median peak failed
measure() {
  local key=$1 setup=$2
  shift 2
  local times=() max_kb=0 i t0 t1 kb status
  for ((i = 0; i < runs; i++)); do
    "$setup"
    t0=$EPOCHREALTIME
    status=0
    /usr/bin/time -f %M -o "$work/rss" "$@" >/dev/null 2>"$work/stderr" || status=$?
    t1=$EPOCHREALTIME
    if [ "$status" -ne 0 ]; then
      local why
      why=$(grep -v '^$' "$work/stderr" | tail -n 1 || true)
      failed[$key]="exit $status, ${why:-with no message}"
      printf '%s\tfailed\t%s\n' "$key" "${failed[$key]}" >>"$out/raw.tsv"
      say "$key: ${failed[$key]}"
      return 0
    fi
    kb=$(tail -n 1 "$work/rss")
    if [ "$kb" -gt "$max_kb" ]; then max_kb=$kb; fi
    times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')")
  done
  median[$key]=$(printf '%s\n' "${times[@]}" | sort -g | awk '{ v[NR] = $1 }
    END { printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
  peak[$key]=$(awk -v k="$max_kb" 'BEGIN { printf "%.1f", k / 1024 }')
  printf '%s\t%s\t%s\t%s\n' "$key" "${median[$key]}" "${peak[$key]}" "${times[*]}" \
    >>"$out/raw.tsv"
  say "$key: median ${median[$key]} s, peak ${peak[$key]} MB"
}

store="$work/store"
trivy_cache="$work/trivy-cache"
nothing() { :; }
fresh_store() { rm -rf "$store" && mkdir -p "$store"; }
fresh_trivy_cache() { rm -rf "$trivy_cache"; }
registered_base() {
  fresh_store
  BULWARK_DATA_DIR="$store" "$bulwark" image register "$(source_arg "$format" "$base")" \
    --name "$base_name" >/dev/null 2>"$work/register.log" \
    || die "registering $base failed: $(tail -n 1 "$work/register.log")"
}
# scan_command NAME POLICY REPORT: the scan of NAME in the current format, as a command line
# in the array `command` (measure runs it under /usr/bin/time, which cannot run functions).
scan_command() {
  command=(env BULWARK_DATA_DIR="$store" "$bulwark" scan "$(source_arg "$format" "$1")"
    --policy "$2" --json "$3")
}

: >"$out/raw.tsv"
say "$runs runs per measure; inputs read once first so every measure reads from page cache"
for format in "${formats[@]}"; do
  for name in "$image" "$base" "$large"; do
    input_files "$format" "$name" | xargs cat >/dev/null
  done
done

for format in "${formats[@]}"; do
  mapfile -t files < <(input_files "$format" "$image")
  measure "sha256/$format" nothing openssl dgst -sha256 "${files[@]}"
  if [ "$format" != docker-archive ]; then
    mapfile -t layers < <(gzip_layers "$format" "$image")
    measure "igzip/$format" nothing igzip -dc "${layers[@]}"
    mapfile -t layers < <(new_gzip_layers "$format")
    if [ ${#layers[@]} -gt 0 ]; then
      measure "igzip-new/$format" nothing igzip -dc "${layers[@]}"
    fi
  fi

  report="$out/bulwark-$format.json"
  scan_command "$image" "$work/blocked.yaml" "$report"
  measure "cold/$format" fresh_store "${command[@]}"
  scan_command "$image" "$work/blocked.yaml" "$work/warm.json"
  measure "warm/$format" nothing "${command[@]}"
  scan_command "$image" "$work/incremental.yaml" "$work/incremental.json"
  measure "incremental/$format" registered_base "${command[@]}"
  scan_command "$large" "$work/blocked.yaml" "$work/large.json"
  measure "cold-2x/$format" fresh_store "${command[@]}"

  if [ "$trivy" != none ]; then
    measure "trivy/$format" fresh_trivy_cache "$trivy" image --input \
      "$(input_path "$format" "$image")" --format cyclonedx -o "$out/trivy-$format.json" \
      --cache-dir "$trivy_cache" -q
  fi
done

# Package sets: Bulwark's (name, version, architecture) against Trivy's CycloneDX library
# components. Trivy's `version` leaves out the dpkg epoch; its purl carries it (epoch=N) and
# the architecture (arch=A), so both are read from there.
bulwark_packages() {
  jq -r '.inventory.packages[] | "\(.name) \(.version) \(.architecture)"' "$1" | sort
}
trivy_packages() {
  jq -r '.components[]? | select(.type == "library")
    | (.purl // "") as $purl
    | ((($purl | capture("[?&]epoch=(?<e>[0-9]+)") | .e) // "")) as $epoch
    | ((($purl | capture("[?&]arch=(?<a>[^&]+)") | .a) // "")) as $arch
    | "\(.name) \(if $epoch == "" then "" else $epoch + ":" end)\(.version) \($arch)"' \
    "$1" | sort
}
declare -A package_diff package_count
for format in "${formats[@]}"; do
  [ -n "${median[trivy/$format]:-}" ] || continue
  bulwark_packages "$out/bulwark-$format.json" >"$out/packages-bulwark-$format.txt"
  trivy_packages "$out/trivy-$format.json" >"$out/packages-trivy-$format.txt"
  package_count[$format]=$(wc -l <"$out/packages-bulwark-$format.txt")
  package_diff[$format]=$(diff "$out/packages-bulwark-$format.txt" \
    "$out/packages-trivy-$format.txt" | grep '^[<>]' \
    | sed 's/^</only in bulwark:/; s/^>/only in trivy:/' || true)
done

# The table.
rows=()
row() { rows+=("| $1 | $2 | $3 | $4 | $5 | $6 |"); }
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v <= t) ? "PASS" : "MISS" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
must() { [ -z "${failed[$1]:-}" ] || die "$1 failed: ${failed[$1]}"; }

for format in "${formats[@]}"; do
  for key in sha256 cold warm incremental cold-2x; do must "$key/$format"; done
  sha=${median[sha256/$format]}
  row "floor: sha256 of the input ($format)" "$sha" "${peak[sha256/$format]}" "" "" ""
  if [ "$format" = docker-archive ]; then
    row "floor: igzip of the gzip layers ($format)" "n/a" "" "" "plain layers" ""
    floor=$sha limit=2.0 floor_name=sha256
  else
    must "igzip/$format"
    row "floor: igzip of the gzip layers ($format)" "${median[igzip/$format]}" \
      "${peak[igzip/$format]}" "" "" ""
    floor=${median[igzip/$format]} limit=1.5 floor_name=igzip
  fi

  cold=${median[cold/$format]}
  r=$(ratio "$cold" "$floor")
  row "bulwark cold ($format)" "$cold" "${peak[cold/$format]}" "${r}x $floor_name" \
    "<= ${limit}x $floor_name" "$(verdict "$r" "$limit")"

  warm=${median[warm/$format]}
  r=$(ratio "$warm" "$sha")
  row "bulwark warm ($format)" "$warm" "${peak[warm/$format]}" "${r}x sha256" \
    "<= 1.5x sha256" "$(verdict "$r" 1.5)"

  # The incremental budget: 1.5 x the sha256 floor plus the floor of the new layers alone
  # (igzip of the app's own gzip layers; plain layers have no floor beyond the sha256 term).
  new=0
  if [ -n "${median[igzip-new/$format]:-}" ]; then new=${median[igzip-new/$format]}; fi
  budget=$(awk -v s="$sha" -v n="$new" 'BEGIN { printf "%.3f", 1.5 * s + n }')
  incremental=${median[incremental/$format]}
  r=$(ratio "$incremental" "$budget")
  row "bulwark incremental ($format)" "$incremental" "${peak[incremental/$format]}" \
    "${r}x budget" "<= budget $budget s (1.5 x $sha + $new)" "$(verdict "$r" 1)"

  if [ "$trivy" = none ]; then
    row "trivy cold ($format)" "skipped: Trivy not available" "" "" ">= 8x slower" ""
  elif [ -n "${failed[trivy/$format]:-}" ]; then
    row "trivy cold ($format)" "cannot read this input (${failed[trivy/$format]})" "" "" \
      ">= 8x slower" "n/a"
  else
    t=${median[trivy/$format]}
    r=$(ratio "$t" "$cold")
    row "trivy cold ($format)" "$t" "${peak[trivy/$format]}" "${r}x bulwark cold" \
      ">= 8x bulwark cold" "$(awk -v r="$r" 'BEGIN { print (r >= 8) ? "PASS" : "MISS" }')"
  fi

  # Peak RSS: every Bulwark scan of this input under 64 MB, and flat on the 2x image
  # (the 2x image's cold scan within 10% of the 1x image's).
  big=${peak[cold-2x/$format]}
  growth=$(awk -v a="$big" -v b="${peak[cold/$format]}" 'BEGIN { printf "%+.1f", a - b }')
  max=$(printf '%s\n' "${peak[cold/$format]}" "${peak[warm/$format]}" \
    "${peak[incremental/$format]}" "$big" | sort -g | tail -n 1)
  row "bulwark cold, 2x image ($format)" "${median[cold-2x/$format]}" "$big" \
    "$(ratio "$big" "${peak[cold/$format]}")x RSS of 1x ($growth MB)" "<= 1.10x RSS of 1x" \
    "$(verdict "$(ratio "$big" "${peak[cold/$format]}")" 1.10)"
  row "bulwark peak RSS, every scan ($format)" "" "$max" "" "<= 64 MB" "$(verdict "$max" 64)"

  if [ -n "${package_count[$format]:-}" ]; then
    if [ -z "${package_diff[$format]}" ]; then
      row "package set vs trivy ($format)" "" "" "${package_count[$format]} packages" \
        "identical" "PASS"
    else
      row "package set vs trivy ($format)" "" "" \
        "$(grep -c . <<<"${package_diff[$format]}") differences" "identical" "MISS"
    fi
  else
    row "package set vs trivy ($format)" "" "" "no Trivy inventory of this input" \
      "identical" "n/a"
  fi
done

{
  echo "Bulwark benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores," \
    "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
  echo "bulwark $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)," \
    "trivy $trivy_version, $runs runs per measure, image $image" \
    "($(du -m "$(input_path docker-archive "$image")" | cut -f1) MB as docker-archive)"
  echo
  echo "| measure | median s | peak RSS MB | ratio | target | result |"
  echo "|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  for format in "${formats[@]}"; do
    if [ -n "${package_diff[$format]:-}" ]; then
      echo
      echo "Package differences ($format):"
      echo "${package_diff[$format]}" | sed 's/^/    /'
    fi
  done
} | tee "$out/results.md"
say "table in $out/results.md, raw times in $out/raw.tsv"
