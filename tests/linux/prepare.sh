#!/usr/bin/env bash
# Build the Linux guest packages of tests/qemu/linux_guest.conf and
# linux_nvme_stage2.conf in $BUILD/linux/linux.dtb and nvme_stage2.dtb: a
# Linux kernel Image, an initramfs with tests/linux/init.c as /init, and
# tests/linux/linux.dts or nvme_stage2.dts.
#   tests/linux/prepare.sh BUILD
# The kernel is Debian's newest linux-image-*-cloud-arm64 (apt-get download:
# no root needed, nothing installed), or $LINUX_IMAGE if set; it is kept in
# $BUILD/linux so later runs do not download it again. Exits 77 (skip) when
# no kernel can be had.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: prepare.sh BUILD}/linux
CC=${CROSS_COMPILE:-aarch64-linux-gnu-}gcc
mkdir -p "$out"

if [ -n "${LINUX_IMAGE:-}" ]; then
  cp "$LINUX_IMAGE" "$out/Image"
elif [ ! -s "$out/Image" ]; then
  . "$here/debian-pkg.sh"
  pkg=$(deb_candidate linux-image-cloud-arm64)
  if [ -z "$pkg" ]; then
    echo "prepare.sh: no linux-image-cloud-arm64 for arm64 in the package lists (dpkg --add-architecture arm64; apt-get update)"
    exit 77
  fi
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  deb_unpack "$pkg" "$tmp/x" './boot/vmlinuz-*' || { echo "prepare.sh: $pkg: no kernel"; exit 77; }
  cp "$tmp"/x/boot/vmlinuz-* "$out/Image.new"
  mv "$out/Image.new" "$out/Image"
  echo "prepare.sh: kernel from $pkg"
fi

# /init: static, no libc
"$CC" -static -nostdlib -ffreestanding -fno-stack-protector -O2 -Wall -Werror \
  -e _start -Wl,--build-id=none -o "$out/init" "$here/init.c"
(cd "$out" && rm -rf root && mkdir -p root && cp init root/init \
  && cd root && echo init | cpio --quiet -o -H newc -R 0:0 > ../initrd.cpio)
dtc -q -I dts -O dtb -i "$out" -o "$out/linux.dtb" "$here/linux.dts"
dtc -q -I dts -O dtb -i "$out" -o "$out/nvme_stage2.dtb" "$here/nvme_stage2.dts"
dtc -q -I dts -O dtb -i "$out" -o "$out/nvme_vsmmu.dtb" "$here/nvme_vsmmu.dts"
