/* SPDX-License-Identifier: MIT */
/*
 * The bench guests' one result line, "bench: NAME I.II": the mean guest
 * instructions per iteration of `n`, from counter ticks `t` of the timed
 * loop minus `empty` of the same loop doing nothing (tests/bench/run.sh
 * reads it; the 128-bit conversion is tests/bench/ticks.h's).
 */
#ifndef AERIE_GUEST_BENCH_REPORT_H
#define AERIE_GUEST_BENCH_REPORT_H

#include <stdint.h>
#include "aerie_guest.h"
#include "../../tests/bench/ticks.h"

static inline uint64_t bench_freq(void)
{
	uint64_t f;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
	return f;
}

static inline void bench_report(const char *name, uint64_t t, uint64_t empty, uint64_t n)
{
	uint64_t x100 = bench_ticks_to_insn_x100(t > empty ? t - empty : 0, bench_freq(), n);

	g_puts("bench: ");
	g_puts(name);
	g_puts(" ");
	g_putd((int64_t)(x100 / 100));
	g_puts(".");
	g_putd((int64_t)(x100 % 100 / 10));
	g_putd((int64_t)(x100 % 10));
	g_puts("\n");
}

#endif
