#!/usr/bin/env bash
# The device trees of Debian's newest arm64 kernel package (bookworm-backports
# when install-deps set it up, else bookworm), unpacked once into
# BUILD/debian-dtbs for test_board's sweep of real boards (docs/booting-on-a-board.md).
#   tests/host/debian-dtbs.sh BUILD
# apt-get download: no root needed, nothing installed. When no package can
# be had it says so and exits 0: test_board then skips those checks, and
# says that too.
set -u
out=${1:?usage: debian-dtbs.sh BUILD}/debian-dtbs
[ -d "$out" ] && exit 0
. "$(dirname "$0")/../linux/debian-pkg.sh"
pkg=$(deb_newest linux-image-arm64)
if [ -z "$pkg" ]; then
  echo "debian-dtbs: no linux-image-arm64 in the package lists: the Debian tree checks will skip"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! deb_unpack "$pkg" "$tmp" './usr/lib/linux-image-*'; then
  echo "debian-dtbs: cannot download $pkg:arm64: the Debian tree checks will skip"
  exit 0
fi
src=$(ls -d "$tmp"/usr/lib/linux-image-* 2>/dev/null | head -n1)
[ -n "$src" ] || { echo "debian-dtbs: $pkg has no device trees"; exit 0; }
mkdir -p "$(dirname "$out")"
mv "$src" "$out.new" && mv "$out.new" "$out"
echo "debian-dtbs: $(find "$out" -name '*.dtb' | wc -l) device trees from $pkg"
