#!/usr/bin/env bash
# fetch-xen.sh OUT: put Debian's prebuilt Xen 4.17 arm64 hypervisor (package
# xen-hypervisor-4.17-arm64, file /boot/xen-4.17-arm64: an arm64 "Image"
# QEMU's -kernel boots at EL2) at OUT. Idempotent: does nothing if OUT exists.
# Nothing is built from source; the package comes through apt's configured
# sources (the arm64 foreign architecture must be enabled in dpkg).
set -euo pipefail
out=${1:?usage: fetch-xen.sh OUT}
pkg=xen-hypervisor-4.17-arm64
if [ -s "$out" ]; then
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp" # lets apt's sandbox user write the .deb
if ! (cd "$tmp" && apt-get download "$pkg:arm64") >"$tmp/log" 2>&1; then
  echo "fetch-xen: download failed, running apt-get update" >&2
  apt-get update >&2
  (cd "$tmp" && apt-get download "$pkg:arm64") >&2
fi
deb=$(ls "$tmp"/"$pkg"_*.deb)
dpkg-deb -x "$deb" "$tmp/x"
xen=""
for f in "$tmp"/x/boot/xen-4.17-arm64 "$tmp"/x/usr/lib/xen-*/boot/xen*; do
  [ -f "$f" ] || continue
  case "$f" in *.efi|*.config|*.gz) continue ;; esac
  xen=$f; break
done
[ -n "$xen" ] || { echo "fetch-xen: no Xen binary in $deb" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
cp "$xen" "$out.tmp" && mv "$out.tmp" "$out"
echo "fetch-xen: $(basename "$deb") ${xen#"$tmp"/x} -> $out" >&2
