#!/usr/bin/env bash
# Run one QEMU test and exit with its verdict: 0 pass, non-zero fail, 77 skip.
#   tests/qemu/run.sh NAME
#
# By default NAME is a self-test in the test image (SELFTEST(NAME) in
# tests/hyp/), booted with "aerie.test=NAME" on the reference machine; the
# test image exits QEMU through semihosting with 0 (pass) or 1 (fail).
# Optional per-test files:
#   tests/qemu/NAME.args   extra QEMU arguments (e.g. "-device edu")
#   tests/qemu/NAME.conf   bash settings sourced before the run:
#     IMAGE=test|prod      which Aerie image (default test)
#     MACHINE=...          the -M value
#     APPEND=...           the whole kernel command line
#     BIOS=...             firmware to boot first (then the image is given
#                          with -kernel through fw_cfg, as on a board)
#     EXTRA=(...)          more QEMU arguments (array)
#     EXPECT_EXIT=N        the exit status that means pass (default 0)
#     EXPECT_OUTPUT=RE     an extended regex the output must contain
#     EXPECT_LINES=(RE...) extended regexes that must match lines in this order
#     TIMEOUT=S            seconds (default 60)
#     CHECK=CMD            a command run after QEMU exits (e.g. a bash
#                          function of the .conf that checks a disk image
#                          the guest wrote); non-zero fails the test
set -u
name=$1
here=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-build}
QEMU=${QEMU:-qemu-system-aarch64}

IMAGE=test
MACHINE=virt,virtualization=on,gic-version=3,iommu=smmuv3
APPEND="aerie.test=$name"
BIOS=
EXTRA=()
EXPECT_EXIT=0
EXPECT_OUTPUT=
EXPECT_LINES=()
CHECK=
TIMEOUT=60
CPUS=${CPUS:-4}
MEM=${MEM:-1G}
# shellcheck disable=SC1090
[ -f "$here/$name.conf" ] && . "$here/$name.conf"
args_file=()
if [ -f "$here/$name.args" ]; then
  read -r -a args_file < <(tr '\n' ' ' < "$here/$name.args")
fi

case $IMAGE in
  test) img=$BUILD/aerie-test.bin ;;
  prod) img=$BUILD/aerie.bin ;;
  *) img=$IMAGE ;;
esac
[ -f "$img" ] || { echo "run.sh: $img not built"; exit 1; }

cmd=("$QEMU" -M "$MACHINE" -cpu max -smp "$CPUS" -m "$MEM" -nographic -net none
     -monitor none -serial stdio
     -semihosting-config enable=on,target=native)
if [ -n "$BIOS" ]; then
  cmd+=(-bios "$BIOS")
fi
cmd+=(-kernel "$img" -append "$APPEND" "${EXTRA[@]}" "${args_file[@]}")

echo "+ ${cmd[*]}"
out=$(mktemp)
timeout --foreground -k 5 "$TIMEOUT" "${cmd[@]}" </dev/null >"$out" 2>&1
rc=$?
cat "$out"
if [ $rc -eq 124 ]; then
  echo "run.sh: $name timed out after ${TIMEOUT}s"
  rm -f "$out"; exit 124
fi
verdict=0
if [ "$rc" -ne "$EXPECT_EXIT" ]; then
  echo "run.sh: $name exited $rc, expected $EXPECT_EXIT"
  verdict=1
fi
if [ -n "$EXPECT_OUTPUT" ] && ! grep -Eq "$EXPECT_OUTPUT" "$out"; then
  echo "run.sh: $name output lacks /$EXPECT_OUTPUT/"
  verdict=1
fi
from=1
for re in "${EXPECT_LINES[@]}"; do
  at=$(tail -n +"$from" "$out" | grep -En -m1 "$re" | cut -d: -f1)
  if [ -z "$at" ]; then
    echo "run.sh: $name output lacks /$re/ (in order, from line $from)"
    verdict=1
    break
  fi
  from=$((from + at))
done
if [ -n "$CHECK" ] && ! $CHECK; then
  echo "run.sh: $name: $CHECK failed"
  verdict=1
fi
rm -f "$out"
exit $verdict
