#!/usr/bin/env bash
# The bench guest's tick -> instruction conversion (tests/bench/ticks.h) on
# the host: exact at 1 GHz, and no 64-bit overflow past 184 M ticks (a
# boot of 2.5 GiB of guest RAM is about 190 M).
set -eu
BUILD=${BUILD:-build}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$BUILD/bench"
cat > "$BUILD/bench/ticks_test.c" <<'C'
#include <stdio.h>
#include "ticks.h"
static int fails;
static void check(uint64_t t, uint64_t f, uint64_t n, uint64_t want)
{
	uint64_t got = bench_ticks_to_insn_x100(t, f, n);
	printf("%s %llu ticks at %llu Hz / %llu -> %llu (want %llu)\n", got == want ? "ok" : "not ok",
	       (unsigned long long)t, (unsigned long long)f, (unsigned long long)n,
	       (unsigned long long)got, (unsigned long long)want);
	fails += got != want;
}
int main(void)
{
	check(17, 1000000000, 1, 1700);
	check(170000, 1000000000, 10000, 1700);
	check(184467441, 1000000000, 1, 18446744100);	/* just past 2^64 / 1e11 */
	check(190000000, 1000000000, 1, 19000000000);	/* a 2.5 GiB guest's boot */
	check(4000000000ULL, 62500000, 1, 6400000000000ULL);	/* 62.5 MHz counter */
	return fails != 0;
}
C
${HOSTCC:-gcc} -std=gnu11 -O1 -Wall -Werror -I"$here" -o "$BUILD/bench/ticks_test" "$BUILD/bench/ticks_test.c"
"$BUILD/bench/ticks_test"
