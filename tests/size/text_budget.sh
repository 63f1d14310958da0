#!/usr/bin/env bash
# The image's text budget as a gate: the .text (code + read-only data, as
# `size` counts it) of build/aerie.elf must be at most 100 KiB (102,400
# bytes) with everything in, the virtual SMMUv3 included (issue 14's
# target, docs/benchmarks.md). No libfdt object is linked (Aerie's own
# device-tree reader and writer, vmm/lib/dtb*.c), which is what brought the
# image under it with room for the hot paths' speed work.
# Deterministic: the same sources and compiler give the same number. When it
# fails, find what grew (`nm --size-sort`, the map), make it smaller or move
# cold code to -Os (HYP_COLD in the Makefile; never a hot path).
set -u
BUILD=${BUILD:-build}
BUDGET=${TEXT_BUDGET:-102400}
elf=$BUILD/aerie.elf
[ -f "$elf" ] || { echo "text_budget: $elf not built"; exit 1; }
text=$(${CROSS_COMPILE:-aarch64-linux-gnu-}size "$elf" | awk 'NR == 2 { print $1 }')
[ -n "$text" ] || { echo "text_budget: no size for $elf"; exit 1; }
if [ "$text" -gt "$BUDGET" ]; then
  echo "text_budget: $elf text is $text bytes, over the budget of $BUDGET by $((text - BUDGET))"
  exit 1
fi
echo "text_budget: $elf text is $text bytes, $((BUDGET - text)) under the budget of $BUDGET"
