#!/usr/bin/env bash
# Build the vSMMU Linux guest package of tests/qemu/linux_vsmmu.conf in
# $BUILD/linux/vsmmu/linux_vsmmu.dtb: Debian's newest cloud-arm64 kernel
# Image and its own VFIO modules (from the same package: modules must match
# the kernel exactly), an initramfs with tests/linux/vfio_init.c as /init
# and the modules in /lib, and tests/linux/linux_vsmmu.dts.
#   tests/linux/prepare_vsmmu.sh BUILD
# The package is fetched with apt-get download (no root needed, nothing
# installed) and kept in $BUILD/linux/vsmmu. Exits 77 (skip) when it cannot
# be had.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: prepare_vsmmu.sh BUILD}/linux/vsmmu
CC=${CROSS_COMPILE:-aarch64-linux-gnu-}gcc
mods="vfio vfio_iommu_type1 vfio_virqfd vfio-pci-core vfio-pci"
mkdir -p "$out"

have_all() {
  [ -s "$out/Image" ] || return 1
  for m in $mods; do [ -s "$out/$m.ko" ] || return 1; done
}

if ! have_all; then
  . "$here/debian-pkg.sh"
  pkg=$(deb_candidate linux-image-cloud-arm64)
  if [ -z "$pkg" ]; then
    echo "prepare_vsmmu.sh: no linux-image-cloud-arm64 for arm64 in the package lists"
    exit 77
  fi
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  deb_unpack "$pkg" "$tmp/x" './boot/vmlinuz-*' './lib/modules/*' \
    || { echo "prepare_vsmmu.sh: $pkg cannot be had"; exit 77; }
  for m in $mods; do
    f=$(find "$tmp/x/lib/modules" -name "$m.ko" -o -name "$m.ko.xz" | head -n1)
    [ -n "$f" ] || { echo "prepare_vsmmu.sh: $pkg has no $m module"; exit 77; }
    case $f in
      *.xz) xz -dc "$f" > "$out/$m.ko" ;;
      *) cp "$f" "$out/$m.ko" ;;
    esac
  done
  cp "$tmp"/x/boot/vmlinuz-* "$out/Image"
  echo "prepare_vsmmu.sh: kernel and VFIO modules from $pkg"
fi

# /init: static, no libc; the modules in /lib
"$CC" -static -nostdlib -ffreestanding -fno-stack-protector -O2 -Wall -Werror \
  -e _start -Wl,--build-id=none -o "$out/init" "$here/vfio_init.c"
(cd "$out" && rm -rf root && mkdir -p root/lib && cp init root/init \
  && for m in $mods; do cp "$m.ko" root/lib/; done \
  && cd root && find . -mindepth 1 | sed 's|^\./||' | cpio --quiet -o -H newc -R 0:0 > ../initrd.cpio)
dtc -q -I dts -O dtb -i "$out" -o "$out/linux_vsmmu.dtb" "$here/linux_vsmmu.dts"
