#!/usr/bin/env bash
# Builds the benchmark's "2x" image: app-on-approved plus one more layer that holds a full
# copy of /usr under /opt/usr-copy. The Debian minbase tree is about 121 MB, of which /usr is
# 112 MB, so the image carries about twice the bytes of app-on-approved (about 234 MB
# uncompressed, about 100 MB of gzip). The package set is unchanged: the copy adds bytes to
# read, hash and inflate, not dpkg records. It is built offline and without a container
# engine, the way tests/fixtures/make-images.sh builds the fixtures (umoci and skopeo).
#
#   bench/make-large-image.sh FIXTURES_DIR OUTDIR
#
# Reads FIXTURES_DIR/oci/app-on-approved (from tests/fixtures/make-images.sh). Writes
# OUTDIR/app-large.docker.tar (plain layers), OUTDIR/app-large.oci.tar (gzip layers) and
# OUTDIR/oci/app-large (OCI layout). Timestamps are pinned, so the layer bytes are the same
# on every build. Needs root (umoci unpack keeps file owners).
set -euo pipefail

if [ $# -ne 2 ]; then echo "usage: $0 FIXTURES_DIR OUTDIR" >&2; exit 2; fi
fixtures=$(realpath "$1")
out=$(realpath -m "$2")
stamp=2024-01-01T00:00:00Z
epoch=$(date -u -d "$stamp" +%s)
name=app-large

if [ ! -d "$fixtures/oci/app-on-approved" ]; then
  echo "make-large-image: $fixtures/oci/app-on-approved is missing; run" \
    "tests/fixtures/make-images.sh $fixtures first" >&2
  exit 2
fi

scratch=$(mktemp -d -t bulwark-bench-image.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
layout="$scratch/layout"
bundle="$scratch/bundle"

# umoci writes into the layout, so work on a copy of the fixture.
skopeo copy -q "oci:$fixtures/oci/app-on-approved:latest" "oci:$layout:$name"
umoci unpack --image "$layout:$name" "$bundle" >/dev/null
mkdir -p "$bundle/rootfs/opt/usr-copy"
cp -a "$bundle/rootfs/usr/." "$bundle/rootfs/opt/usr-copy/"
find "$bundle/rootfs/opt" -exec touch -h -d "@$epoch" {} +
umoci repack --history.created "$stamp" --history.created_by "COPY /usr /opt/usr-copy" \
  --image "$layout:$name" "$bundle"
umoci config --history.created "$stamp" --created "$stamp" --image "$layout:$name" \
  --config.label org.opencontainers.image.title="$name"
rm -rf "$bundle"

mkdir -p "$out/oci"
rm -rf "$out/oci/$name" "$out/$name.docker.tar" "$out/$name.oci.tar"
skopeo copy -q "oci:$layout:$name" "oci:$out/oci/$name:latest"
skopeo copy -q "oci:$layout:$name" "docker-archive:$out/$name.docker.tar:bench/$name:1.0"
skopeo copy -q "oci:$layout:$name" "oci-archive:$out/$name.oci.tar:latest"
chmod -R a+rX "$out"
echo "make-large-image: $name in $out ($(du -sh "$out/$name.docker.tar" | cut -f1) as" \
  "docker-archive)"
