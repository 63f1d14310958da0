/* SPDX-License-Identifier: MIT */
/*
 * Counter ticks to instructions x100 (two decimals) for the bench guest:
 * under -icount shift=0 one instruction is 1 ns, so instructions =
 * ticks * 1e9 / CNTFRQ. In 128 bits: ticks * 1e11 overflows 64 bits from
 * 184 M ticks on (the boot of a guest with a few GiB of RAM).
 * tests/bench/ticks_test.sh checks it on the host.
 */
#ifndef AERIE_BENCH_TICKS_H
#define AERIE_BENCH_TICKS_H

#include <stdint.h>

static inline uint64_t bench_ticks_to_insn_x100(uint64_t ticks, uint64_t freq, uint64_t n)
{
	return (uint64_t)((unsigned __int128)ticks * 100000000000ULL / freq / n);
}

#endif
