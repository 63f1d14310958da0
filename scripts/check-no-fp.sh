#!/usr/bin/env bash
# Fail if an image contains any FP/SIMD instruction: EL2 runs with
# general-purpose registers only (-mgeneral-regs-only; no libfdt object is
# linked). The one exception is fpsimd_scrub
# (arch/fpsimd_scrub.S), which only writes zeros into them when a vCPU is
# loaded. Usage: check-no-fp.sh OBJDUMP IMAGE
set -euo pipefail
objdump=$1 img=$2
# FP/SIMD register operands (b/h/s/d/q/v n) or FP system registers
# (branch targets "addr <sym>" and comments are removed before matching)
bad=$("$objdump" -d --no-show-raw-insn "$img" \
  | awk '/^[0-9a-f]+ <[^>]*>:$/ { skip = ($0 ~ /<fpsimd_scrub>:$/) } !skip' \
  | grep -E '^\s+[0-9a-f]+:' \
  | sed -E -e 's/^\s+[0-9a-f]+:\s*//' -e 's/[0-9a-f]+ <[^>]*>//g' -e 's@//.*$@@' \
  | grep -E '\s(([bhsdqv][0-9]{1,2})([,.\[]|$|\s)|.*\b(fpcr|fpsr)\b)' \
  | grep -vE '\s(sys|msr|mrs)\b.*(cptr|cpacr)' || true)
if [ -n "$bad" ]; then
  echo "check-no-fp: $img uses FP/SIMD registers:" >&2
  echo "$bad" | head -n 20 >&2
  exit 1
fi
