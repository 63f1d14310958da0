#!/usr/bin/env bash
# Boot Aerie in QEMU on the reference board (virt with EL2, GICv3, SMMUv3).
#   scripts/run-qemu.sh [run|debug]
# run:   boots build/aerie.bin; Aerie prints the board summary, runs the
#        guests of the package, and ends QEMU when they are done (Ctrl-A X
#        quits QEMU at any time).
# debug: the same machine, halted at the first instruction, waiting for
#        gdb-multiarch on tcp::1234 (scripts/aerie.gdb loads the symbols at
#        the address QEMU loads the image to).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
QEMU=${QEMU:-qemu-system-aarch64}
mode=${1:-run}
# The guest package (passed as the initrd) and the devices it assigns:
# AERIE_DEMO_ARGS (make run PACKAGE=..., make run-linux), else the demo
# package with one edu. AERIE_ARGS is added to Aerie's command line
# (make run passes aerie.package: a package is expected).
DEMO_ARGS=(${AERIE_DEMO_ARGS:--device edu -initrd $BUILD/guest/demo.dtb})

cmd=("$QEMU" -M virt,virtualization=on,gic-version=3,iommu=smmuv3 -cpu max
     -smp "${CPUS:-4}" -m "${MEM:-1G}" -nographic -net none
     -semihosting-config enable=on,target=native
     -kernel "$BUILD/aerie.bin" -append "aerie.semihosting ${AERIE_ARGS:-}"
     "${DEMO_ARGS[@]}")
if [ "$mode" = debug ]; then
  cmd+=(-s -S)
  echo "QEMU is waiting for gdb. In another terminal:"
  echo "  gdb-multiarch -x scripts/aerie.gdb"
fi
echo "+ ${cmd[*]}"
exec "${cmd[@]}"
