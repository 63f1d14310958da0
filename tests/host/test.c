/* SPDX-License-Identifier: MIT */
#include "test.h"
#include "hostenv.h"

#define MAX_TESTS 1024
static struct {
	const char *name;
	test_fn fn;
} tests[MAX_TESTS];
static int ntests;
int test_current_failed;

void test_register(const char *name, test_fn fn)
{
	if (ntests < MAX_TESTS) {
		tests[ntests].name = name;
		tests[ntests].fn = fn;
		ntests++;
	}
}

void test_fail_at(const char *file, int line, const char *expr)
{
	fprintf(stderr, "  %s:%d: check failed: %s\n", file, line, expr);
	test_current_failed = 1;
}

int test_main(int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : NULL;
	int passed = 0, failed = 0, n = 0;

	for (int i = 0; i < ntests; i++) {
		if (filter && !strstr(tests[i].name, filter))
			continue;
		test_current_failed = 0;
		hostenv_reset();
		tests[i].fn();
		n++;
		if (test_current_failed) {
			failed++;
			printf("not ok %d - %s\n", n, tests[i].name);
			hostenv_dump_log(stderr);
		} else {
			passed++;
			printf("ok %d - %s\n", n, tests[i].name);
		}
		fflush(stdout);
	}
	printf("# %s: %d passed, %d failed\n", argv[0], passed, failed);
	return failed ? 1 : 0;
}
