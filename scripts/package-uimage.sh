#!/usr/bin/env bash
# Wrap a guest package (a device tree blob) in a U-Boot legacy image header
# of type "ramdisk", so that U-Boot's booti passes it to Aerie as the initrd
# (given the bare blob, U-Boot takes it for a FIT image and stops with
# "Bad FIT ramdisk image format!"). The same as u-boot-tools'
#   mkimage -A arm64 -O linux -T ramdisk -C none -n aerie-package -d IN OUT
#   scripts/package-uimage.sh package.dtb package.uimg
set -eu
[ $# -eq 2 ] || { echo "usage: $0 package.dtb package.uimg" >&2; exit 2; }
exec python3 - "$1" "$2" <<'PY'
import struct, sys, zlib
IH_MAGIC, IH_OS_LINUX, IH_ARCH_ARM64, IH_TYPE_RAMDISK, IH_COMP_NONE = 0x27051956, 5, 22, 3, 0
data = open(sys.argv[1], "rb").read()
def header(hcrc):
    # magic, header crc, time, size, load, entry, data crc, os, arch, type, comp, name
    return struct.pack(">IIIIIIIBBBB32s", IH_MAGIC, hcrc, 0, len(data), 0, 0,
                       zlib.crc32(data) & 0xffffffff, IH_OS_LINUX, IH_ARCH_ARM64,
                       IH_TYPE_RAMDISK, IH_COMP_NONE, b"aerie-package")
hdr = header(zlib.crc32(header(0)) & 0xffffffff)
assert len(hdr) == 64
open(sys.argv[2], "wb").write(hdr + data)
PY
