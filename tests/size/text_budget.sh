#!/usr/bin/env bash
# The image's text budget as a gate: the .text (code + read-only data, as
# `size` counts it) of build/aerie.elf must be at most 104 KiB (106,496
# bytes). The target is 100 KiB with the virtual SMMUv3 in (docs/benchmarks.md):
# missed since board support, quotas, the vSMMU and the rest of the IOAS model
# landed together; this gate holds the line so nothing grows unseen while the
# known savings (libfdt's fdt_ro.o is linked whole, 6 KiB) are made.
# Deterministic: the same sources and compiler give the same number. When it
# fails, move cold code to -Os (HYP_COLD in the Makefile) or make it smaller.
set -u
BUILD=${BUILD:-build}
BUDGET=${TEXT_BUDGET:-106496}
elf=$BUILD/aerie.elf
[ -f "$elf" ] || { echo "text_budget: $elf not built"; exit 1; }
text=$(${CROSS_COMPILE:-aarch64-linux-gnu-}size "$elf" | awk 'NR == 2 { print $1 }')
[ -n "$text" ] || { echo "text_budget: no size for $elf"; exit 1; }
if [ "$text" -gt "$BUDGET" ]; then
  echo "text_budget: $elf text is $text bytes, over the budget of $BUDGET by $((text - BUDGET))"
  exit 1
fi
echo "text_budget: $elf text is $text bytes, $((BUDGET - text)) under the budget of $BUDGET"
