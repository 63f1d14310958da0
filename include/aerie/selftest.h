/* SPDX-License-Identifier: MIT */
/*
 * In-hypervisor self-tests, linked only into build/aerie-test.elf (sources in
 * HYP_TEST_SRCS, compiled with -DAERIE_SELFTEST). The test image runs the one
 * named by `aerie.test=NAME` in /chosen/bootargs once boot is complete (board,
 * allocator, MMU, CPUs, SMMU, PCI), prints "selftest NAME: PASS|FAIL" and
 * exits QEMU through semihosting with status 0 (pass) or 1 (fail).
 *
 *   SELFTEST(my_test) { ...; return 0; }   // or a negative errno
 */
#ifndef AERIE_SELFTEST_H
#define AERIE_SELFTEST_H

#include <aerie/board.h>
#include <aerie/errno.h>
#include <aerie/log.h>
#include <aerie/types.h>

struct selftest {
	const char *name;
	int (*fn)(void);
};

#define SELFTEST(n)                                                          \
	static int selftest_##n(void);                                      \
	static const struct selftest __selftest_##n                          \
		__attribute__((used, section(".selftests"), aligned(8))) = { \
			#n, selftest_##n };                                   \
	static int selftest_##n(void)

/* fail the running self-test with a message naming the check */
#define SELFTEST_CHECK(c)                                                        \
	do {                                                                     \
		if (!(c)) {                                                      \
			pr_err("check failed: %s (%s:%d)\n", #c, __FILE__, __LINE__); \
			return -EINVAL;                                          \
		}                                                                \
	} while (0)

/* the board Aerie booted with, for tests */
const struct board *selftest_board(void);

/* run the test named in the bootargs (test image); returns only if none */
void selftest_run_from_bootargs(const struct board *b);

#endif
