#!/usr/bin/env bash
# Where Aerie's boot instructions go: runs QEMU (the boot figure's command of
# tests/bench/run.sh) with `-d in_asm,exec,nochain`, so every executed
# translation block is logged with the instructions it holds, and counts the
# instructions executed from reset to the first guest instruction (the first
# block whose TB flags carry an EL0/EL1 MMU index) per function of the ELF.
#
#   scripts/profile-qemu.sh [PACKAGE.dtb] [ROWS]
#
# PACKAGE defaults to build/bench/boot.dtb (make -s all build/bench/boot.dtb
# first); ROWS (default 40) is how many functions to print, largest first.
# Addresses outside the image (QEMU's boot stub) are counted as "(outside)".
# The image is linked at 0 and runs where it was loaded: the load address is
# taken from Aerie's "image 0x...-0x..." console line.
# A block that ends early (an exception or an I/O access under -icount) is
# counted whole, so the total may be a little above the guest's own figure.
set -euo pipefail
BUILD=${BUILD:-build}
QEMU=${QEMU:-qemu-system-aarch64}
NM=${CROSS_COMPILE:-aarch64-linux-gnu-}nm
pkg=${1:-$BUILD/bench/boot.dtb}
rows=${2:-40}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$NM" -n --defined-only "$BUILD/aerie.elf" | awk '$2 ~ /^[tTwW]$/ { print $1, $3 }' >"$tmp/syms"
timeout 300 "$QEMU" -M virt,virtualization=on,gic-version=3,iommu=smmuv3 -cpu max -smp 1 -m 2G \
  -nographic -net none -icount shift=0,sleep=off -semihosting-config enable=on,target=native \
  -kernel "$BUILD/aerie.bin" -append aerie.semihosting -device edu -initrd "$pkg" \
  -d in_asm,exec,nochain -D "$tmp/log" </dev/null >"$tmp/out" 2>&1 || true
base=$(sed -n 's/.*, image \(0x[0-9a-f]*\)-.*/\1/p' "$tmp/out" | head -n1)
[ -n "$base" ] || { cat "$tmp/out"; echo "profile-qemu: no image line in Aerie's output"; exit 1; }
python3 - "$tmp/syms" "$tmp/log" "$rows" "$base" "${FOCUS:-}" <<'PY'
import bisect, re, sys
syms = [l.split() for l in open(sys.argv[1])]
addrs = [int(a, 16) for a, _ in syms]
names = [n for _, n in syms]
size = max(addrs) + 0x10000
base = int(sys.argv[4], 16)
focus = sys.argv[5]
insn = re.compile(r'^0x([0-9a-f]+):\s+[0-9a-f]+\s+(\S+)')
trace = re.compile(r'^Trace \d+: (0x[0-9a-f]+) \[[0-9a-f]+/([0-9a-f]+)/([0-9a-f]+)/')

def sym(a):
    off = a - base
    if 0 <= off < size:
        i = bisect.bisect_right(addrs, off) - 1
        if i >= 0:
            return names[i]
    return '(outside)'

pending, blocks = [], {}
self_n, incl, stack, total, returning = {}, {}, [], 0, False
for line in open(sys.argv[2], errors='replace'):
    m = insn.match(line)
    if m:
        pending.append((int(m.group(1), 16), m.group(2)))
        continue
    m = trace.match(line)
    if not m:
        continue
    host, pc, flags = m.group(1), int(m.group(2), 16), int(m.group(3), 16)
    if (flags >> 4) & 0xf in (0, 1, 2, 4):   # ARMMMUIdx E10_0, E20_0, E10_1, E10_1_PAN
        break                                 # the guest's first instruction
    if pending:   # in_asm prints a block just before its first execution
        blocks[host] = ([sym(a) for a, _ in pending], pending[-1])
        pending = []
    fns, (last_pc, last) = blocks.get(host, ([sym(pc)], (pc, '')))
    if returning:   # a ret: back to the caller whose return address this is
        for d in range(len(stack) - 1, -1, -1):
            if stack[d][1] == pc:
                del stack[d:]
                break
        returning = False
    on = {f for f, _ in stack} | set(fns)
    if focus and focus not in on:
        pass
    else:
        for name in fns:
            self_n[name] = self_n.get(name, 0) + 1
        total += len(fns)
        # inclusive: this block's functions and every caller on the stack
        for name in on:
            incl[name] = incl.get(name, 0) + len(fns)
    if last in ('bl', 'blr'):
        stack.append((fns[-1], last_pc + 4))
    elif last == 'ret':
        returning = True
print(f"{total:>10}  total, reset to the first guest instruction (image at {base:#x})"
      + (f", only where {focus} is on the call stack" if focus else ""))
print(f"{'self':>10}  {'%':>5}  {'inclusive':>10}  function")
for name, n in sorted(self_n.items(), key=lambda kv: -kv[1])[:int(sys.argv[3])]:
    print(f"{n:>10}  {100.0 * n / total:5.1f}  {incl.get(name, 0):>10}  {name}")
print()
print("largest inclusive (with what they call):")
for name, n in sorted(incl.items(), key=lambda kv: -kv[1])[:int(sys.argv[3])]:
    print(f"{n:>10}  {100.0 * n / total:5.1f}  {name}")
PY
