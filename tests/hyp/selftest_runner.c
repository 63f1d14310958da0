/* SPDX-License-Identifier: MIT */
/* Runs the self-test named by aerie.test=NAME (test image only). */
#include <aerie/arch.h>
#include <aerie/bootargs.h>
#include <aerie/errno.h>
#include <aerie/log.h>
#include <aerie/selftest.h>
#include <aerie/string.h>

extern const struct selftest __selftests_start[], __selftests_end[];

void selftest_run_from_bootargs(const struct board *b)
{
	char name[64];
	const struct selftest *t;
	int err;

	if (!bootarg_get(b->bootargs, "aerie.test", name, sizeof(name)))
		return;
	for (t = __selftests_start; t < __selftests_end; t++) {
		if (strcmp(t->name, name))
			continue;
		pr_info("selftest %s: running\n", name);
		err = t->fn();
		pr_info("selftest %s: %s (%d %s)\n", name, err ? "FAIL" : "PASS", err,
			errno_name(err));
		hyp_exit(err ? 1 : 0);
	}
	pr_err("selftest %s: no such test\n", name);
	hyp_exit(1);
}
