#!/usr/bin/env bash
# Installs everything Bulwark needs to build, test and demo on Debian 12 (as root).
# Idempotent: apt-get is only called when a package is missing.
set -euo pipefail

packages=(
  # Build
  cmake ninja-build g++ pkg-config
  # Libraries (see README: "Libraries")
  libarchive-dev zlib1g-dev libzstd-dev libisal-dev libssl-dev libsqlite3-dev
  nlohmann-json3-dev libyaml-cpp-dev libcli11-dev libspdlog-dev libfmt-dev libmstch-dev
  libre2-dev libgtest-dev libgmock-dev libbenchmark-dev libcurl4-openssl-dev
  # The server (issue #5): HTTP(S) with cpp-httplib, Argon2id password hashes with libsodium
  libcpp-httplib-dev libsodium-dev
  # The PostgreSQL store (issue #5): libpq, and a PostgreSQL server the tests start on loopback
  libpq-dev postgresql
  # Fuzzing (libFuzzer ships with clang)
  clang libclang-rt-14-dev
  # Fixture images: a real Debian root filesystem turned into OCI and Docker archives
  debootstrap umoci skopeo jq
  # Benchmarks: the decompression floor, and peak RSS through /usr/bin/time
  isal time
  # rpm databases for tests: Debian's rpm writes SQLite databases (it has no ndb); the go-rpmdb
  # sources ship real Berkeley DB databases from CentOS with their expected package lists;
  # db5.3-util's db5.3_load rewrites them big-endian and with other page sizes
  rpm golang-github-knqyf263-go-rpmdb-dev db5.3-util
  # Report validation in tests (SARIF 2.1.0 and CycloneDX 1.5 JSON schemas)
  python3-jsonschema
  # Registry tests: Debian's registry server (started by the tests on loopback), htpasswd for its
  # Basic auth, and python3-cryptography to sign the tokens of the Bearer flow
  docker-registry apache2-utils python3-cryptography
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages (${missing[*]}); run as root or install them" >&2
  exit 2
fi
echo "install-deps: installing ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian's docker-registry package enables a registry service on port 5000 of every interface.
# The tests start their own servers on loopback; the service is not wanted.
if [[ " ${missing[*]} " == *" docker-registry "* ]] && [ -d /run/systemd/system ]; then
  systemctl disable --now docker-registry >/dev/null 2>&1 || true
fi
