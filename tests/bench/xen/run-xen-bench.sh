#!/usr/bin/env bash
# run-xen-bench.sh BUILD_DIR: Xen 4.17's null hypercall (xen_version) cost as
# seen by a bare-metal dom0 under QEMU TCG with -icount shift=0 (one
# instruction = one 1 GHz counter tick), for comparison with tests/bench/run.sh.
# Builds dom0 (dom0.S, dom0.c) into BUILD_DIR/xen, fetches Debian's prebuilt
# Xen (fetch-xen.sh), boots it and prints the dom0's "xenbench:" lines.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:?usage: run-xen-bench.sh BUILD_DIR}
out=$build/xen
QEMU=${QEMU:-qemu-system-aarch64}
CROSS=${CROSS_COMPILE:-aarch64-linux-gnu-}
mkdir -p "$out"

"${CROSS}gcc" -nostdlib -ffreestanding -mgeneral-regs-only -mstrict-align \
  -fno-pic -no-pie -static -O2 -Wall -Werror -fno-stack-protector \
  -fno-asynchronous-unwind-tables -Wl,--build-id=none,--no-warn-rwx-segments -T "$here/dom0.ld" \
  -o "$out/dom0.elf" "$here/dom0.S" "$here/dom0.c"
"${CROSS}objcopy" -O binary "$out/dom0.elf" "$out/dom0.bin"

"$here/fetch-xen.sh" "$out/xen"

# console=dtuart: Xen's console is the DTB's stdout-path (the PL011); the
# hardware domain's CONSOLEIO_write goes straight to it. No sync_console: the
# output is the same but Xen then busy-waits a "3... 2... 1..." warning
# countdown (about 7 s of wall time under -icount). dom0's SCHEDOP_shutdown
# (poweroff) makes Xen halt the machine through PSCI SYSTEM_OFF, so QEMU exits
# by itself; -no-reboot only stops a Xen panic/reboot from looping until the
# timeout.
xen_args="dom0_mem=128M dom0_max_vcpus=1 console=dtuart loglvl=all guest_loglvl=all"
cmd=("$QEMU" -M virt,virtualization=on,gic-version=3 -cpu max -smp 1 -m 1G
     -nographic -net none -icount shift=0,sleep=off -no-reboot
     -kernel "$out/xen" -append "$xen_args"
     -device guest-loader,addr=0x49000000,kernel="$out/dom0.bin",bootargs="console=hvc0")
log=$out/xen-bench.log
echo "${cmd[*]}" >&2
start=$(date +%s.%N)
rc=0
timeout 300 "${cmd[@]}" </dev/null >"$log" 2>&1 || rc=$?
end=$(date +%s.%N)
tr -d '\r' <"$log" | grep '^xenbench:' || { cat "$log"; echo "run-xen-bench: no xenbench output (rc $rc)" >&2; exit 1; }
awk -v a="$start" -v b="$end" 'BEGIN { printf "run-xen-bench: wall time %.1f s\n", b - a }' >&2
[ "$rc" = 0 ] || { echo "run-xen-bench: QEMU exit status $rc (log: $log)" >&2; exit 1; }
