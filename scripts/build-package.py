#!/usr/bin/env python3
# Build a guest package from a user's .dts (what `make run PACKAGE=my.dts`
# runs; docs/guests.md, "Your own guest in one command").
#   scripts/build-package.py DTS OUT_DIR
# For every `image = /incbin/("NAME.bin")` in the package:
#   - the guest node names its C/assembly sources (`sources = "a.c", "b.S";`,
#     paths relative to the .dts): NAME.bin is built from them;
#   - else NAME.c next to the .dts: NAME.bin is built from it;
#   - else NAME.bin next to the .dts is used as it is.
# Built guests are linked with the guest library and picolibc (the make
# variables GUEST_CC, GUEST_CFLAGS, GUEST_LDFLAGS, GUEST_LIB, GUEST_LIBS,
# OBJCOPY come in through the environment) into OUT_DIR/NAME.elf (kept, for
# gdb) and OUT_DIR/NAME.bin. The package is compiled from a copy in OUT_DIR
# (dtc looks beside the source first, so a stale NAME.bin in the user's
# folder cannot shadow the one built) with the user's folder as include
# path: OUT_DIR/PKG.dtb. Nothing is written into the user's folder.
import os
import re
import shlex
import shutil
import subprocess
import sys


def die(msg):
    print(f"package: {msg}", file=sys.stderr)
    sys.exit(1)


def guest_nodes(text):
    """(node name, {property: raw value}) for every node, comments removed."""
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    stack, nodes = [], []
    for tok in re.finditer(r'"(?:\\.|[^"\\])*"|[{};]|[^{};"]+', text):
        t = tok.group(0)
        if t == "{":
            name = "/"
            if stack and stack[-1][2].strip():
                name = stack[-1][2].strip().split()[-1]
                stack[-1][2] = ""
            stack.append([name, {}, ""])
        elif t == "}":
            if stack:
                nodes.append(stack.pop()[:2])
        elif t == ";":
            if stack:
                stmt = stack[-1][2].strip()
                stack[-1][2] = ""
                if "=" in stmt:
                    k, v = stmt.split("=", 1)
                    stack[-1][1][k.strip()] = v.strip()
        else:
            if stack:
                stack[-1][2] += t
    return nodes


def strings(v):
    return re.findall(r'"((?:\\.|[^"\\])*)"', v)


def main():
    if len(sys.argv) != 3:
        die("usage: build-package.py DTS OUT_DIR")
    dts, out = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    if not os.path.isfile(dts):
        die(f"{sys.argv[1]}: no such file")
    src_dir = os.path.dirname(dts)
    env = os.environ
    cc = env.get("GUEST_CC", "aarch64-linux-gnu-gcc")
    objcopy = env.get("OBJCOPY", "aarch64-linux-gnu-objcopy")
    cflags = shlex.split(env.get("GUEST_CFLAGS", ""))
    ldflags = shlex.split(env.get("GUEST_LDFLAGS", ""))
    lib = shlex.split(env.get("GUEST_LIB", ""))
    libs = shlex.split(env.get("GUEST_LIBS", ""))
    os.makedirs(out, exist_ok=True)

    with open(dts) as f:
        text = f.read()
    built = set()
    for name, props in guest_nodes(text):
        img = props.get("image", "")
        m = re.match(r'/incbin/\s*\(\s*"([^"]+)"', img)
        if not m:
            continue
        bin_rel = m.group(1)
        if bin_rel in built:
            continue
        stem = bin_rel[:-4] if bin_rel.endswith(".bin") else bin_rel
        if "sources" in props:
            srcs = [os.path.join(src_dir, s) for s in strings(props["sources"])]
            for s in srcs:
                if not os.path.isfile(s):
                    die(f"guest {name}: source {s} not found")
        elif os.path.isfile(os.path.join(src_dir, stem + ".c")):
            srcs = [os.path.join(src_dir, stem + ".c")]
        elif os.path.isfile(os.path.join(src_dir, bin_rel)):
            print(f"package: guest {name}: {bin_rel} used as it is (prebuilt)")
            continue
        else:
            die(f"guest {name}: {bin_rel} needs {stem}.c (or `sources = ...;` in the node, "
                f"or a prebuilt {bin_rel}) next to {sys.argv[1]}")
        elf = os.path.join(out, stem + ".elf")
        binf = os.path.join(out, bin_rel)
        os.makedirs(os.path.dirname(elf), exist_ok=True)
        cmd = [cc] + cflags + ["-I", src_dir] + ldflags + ["-o", elf] + lib + srcs + libs
        print(f"package: guest {name}: {bin_rel} from {' '.join(os.path.relpath(s, src_dir) for s in srcs)}")
        if subprocess.call(cmd) != 0:
            die(f"guest {name}: building {bin_rel} failed")
        if subprocess.call([objcopy, "-O", "binary", elf, binf]) != 0:
            die(f"guest {name}: objcopy failed")
        built.add(bin_rel)

    pkg = os.path.splitext(os.path.basename(dts))[0]
    copy = os.path.join(out, os.path.basename(dts))
    shutil.copyfile(dts, copy)
    dtb = os.path.join(out, pkg + ".dtb")
    if subprocess.call(["dtc", "-q", "-I", "dts", "-O", "dtb", "-i", src_dir,
                        "-o", dtb, copy]) != 0:
        die(f"dtc could not compile {sys.argv[1]}")
    print(f"package: {os.path.relpath(dtb)}")


main()
