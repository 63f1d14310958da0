/* SPDX-License-Identifier: MIT */
/* vmm/lib: the formatter against the C library's, and bootargs parsing. */
#include <stdarg.h>
#include <stdio.h>
#include <aerie/bootargs.h>
#include "test.h"

int aerie_snprintf(char *buf, size_t size, const char *fmt, ...);

#define SAME(fmt, ...)                                                        \
	do {                                                                  \
		char a[128], b[128];                                          \
		int na = aerie_snprintf(a, sizeof(a), fmt, __VA_ARGS__);      \
		int nb = snprintf(b, sizeof(b), fmt, __VA_ARGS__);            \
		if (na != nb || strcmp(a, b)) {                               \
			fprintf(stderr, "  fmt \"%s\": aerie \"%s\" (%d), libc \"%s\" (%d)\n", \
				fmt, a, na, b, nb);                           \
			test_fail_at(__FILE__, __LINE__, fmt);                \
		}                                                             \
	} while (0)

TEST(format_matches_libc)
{
	SAME("%d %i %u", -42, 7, 3000000000U);
	SAME("%x %X %#x %#X %#x", 0xbeefU, 0xbeefU, 0x1fU, 0x1fU, 0U);
	SAME("%lld %llu %llx", -1LL, 18446744073709551615ULL, 0x123456789abcdefULL);
	SAME("%ld %lx %zu", -5L, 0xffffffffffUL, (size_t)99);
	SAME("[%5d] [%-5d] [%05d] [%+d] [% d]", 42, 42, 42, 42, 42);
	SAME("[%8s] [%-8s] [%.3s] [%s]", "abc", "abc", "abcdef", "");
	SAME("[%c] [%3c] [%%%d]", 'x', 'y', 0);
	SAME("[%016llx] [%-16llx]", 0xabcULL, 0xabcULL);
	SAME("[%.5d] [%8.3d] [%hhu] [%hd]", 42, 7, 300, 70000);
	SAME("[%*d] [%-*d] [%.*s]", 6, 1, 6, 2, 2, "xyz");
	SAME("%p", (void *)0x40200000UL);
	SAME("%d %d", -2147483647 - 1, 2147483647);
}

TEST(format_truncates_and_counts)
{
	char buf[8];
	int n = aerie_snprintf(buf, sizeof(buf), "%s", "0123456789");

	CHECK_EQ(n, 10);
	CHECK(!strcmp(buf, "0123456"));
	CHECK_EQ(aerie_snprintf(NULL, 0, "%d", 12345), 5);
}

TEST(bootargs_keys_and_values)
{
	char v[16];

	CHECK(bootarg_get("aerie.test=smp aerie.semihosting", "aerie.test", v, sizeof(v)));
	CHECK(!strcmp(v, "smp"));
	CHECK(bootarg_get("aerie.test=smp aerie.semihosting", "aerie.semihosting", v, sizeof(v)));
	CHECK(!strcmp(v, ""));
	CHECK(!bootarg_get("aerie.testing=1", "aerie.test", v, sizeof(v)));
	CHECK(!bootarg_get("", "aerie.test", v, sizeof(v)));
	CHECK(bootarg_get("a=verylongvaluethatdoesnotfit", "a", v, 8));
	CHECK(!strcmp(v, "verylon"));
}

int main(int argc, char **argv) { return test_main(argc, argv); }
