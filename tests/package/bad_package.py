#!/usr/bin/env python3
# Damage a good guest package (a DTB) the ways a hostile or broken one
# would come, for the package_damaged_* QEMU tests:
#   bad_package.py MODE IN.dtb OUT.dtb
#   truncated   the file cut to half its length (the header still whole)
#   bigsize     the file whole, its header's totalsize 64 KiB larger
#   structure   the header fine, the structure block broken: the first
#               FDT_END_NODE of the tree turned into an FDT_NOP, so a node
#               is never closed (only a full check of the tree sees it)
#   version     the file whole, its header saying version 6 (last compatible
#               version 0): a tree libfdt 1.6.1's fdt_check_header passes and
#               its fdt_check_full then reads address 0 on (Aerie refuses
#               every version before 17)
import struct
import sys

mode, src, dst = sys.argv[1:4]
b = bytearray(open(src, "rb").read())
magic, total, off_struct, _, _, _, _, _, _, size_struct = struct.unpack(">10I", b[:40])
assert magic == 0xD00DFEED and total == len(b)
if mode == "truncated":
    b = b[: len(b) // 2]
elif mode == "bigsize":
    struct.pack_into(">I", b, 4, total + 0x10000)
elif mode == "version":
    struct.pack_into(">II", b, 20, 6, 0)
elif mode == "structure":
    FDT_BEGIN_NODE, FDT_END_NODE, FDT_PROP, FDT_NOP = 1, 2, 3, 4
    i = off_struct
    while True:
        tag = struct.unpack_from(">I", b, i)[0]
        if tag == FDT_BEGIN_NODE:
            j = b.index(0, i + 4)
            i = (j + 1 + 3) & ~3
        elif tag == FDT_PROP:
            ln = struct.unpack_from(">I", b, i + 4)[0]
            i = (i + 12 + ln + 3) & ~3
        elif tag == FDT_END_NODE:
            struct.pack_into(">I", b, i, FDT_NOP)
            break
        elif tag == FDT_NOP:
            i += 4
        else:
            sys.exit(f"bad_package: unexpected tag {tag} at {i}")
else:
    sys.exit(f"bad_package: unknown mode {mode}")
open(dst, "wb").write(b)
