/* SPDX-License-Identifier: MIT */
/*
 * Minimal host unit-test framework. Each binary prints one TAP-like line per
 * test ("ok N - name" / "not ok N - name") and exits non-zero if any failed;
 * tests/run-all.sh counts those lines.
 *
 *   TEST(map_one_page) { CHECK_EQ(f(), 0); }
 *   int main(int argc, char **argv) { return test_main(argc, argv); }
 * A test filter may be given as argv[1] (substring match).
 */
#ifndef AERIE_TEST_H
#define AERIE_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <aerie/types.h>

typedef void (*test_fn)(void);
void test_register(const char *name, test_fn fn);
int test_main(int argc, char **argv);
void test_fail_at(const char *file, int line, const char *expr);
extern int test_current_failed;

#define TEST(name)                                                        \
	static void name(void);                                           \
	__attribute__((constructor)) static void reg_##name(void)         \
	{                                                                 \
		test_register(#name, name);                               \
	}                                                                 \
	static void name(void)

#define CHECK(cond)                                                       \
	do {                                                              \
		if (!(cond))                                              \
			test_fail_at(__FILE__, __LINE__, #cond);          \
	} while (0)

#define CHECK_EQ(a, b)                                                    \
	do {                                                              \
		long long _a = (long long)(a), _b = (long long)(b);       \
		if (_a != _b) {                                           \
			fprintf(stderr, "  %s = %lld (0x%llx), %s = %lld (0x%llx)\n", \
				#a, _a, (unsigned long long)_a, #b, _b,   \
				(unsigned long long)_b);                  \
			test_fail_at(__FILE__, __LINE__, #a " == " #b);   \
		}                                                         \
	} while (0)

/* the whole of a file, malloc'ed to its size (in *size if size); NULL, and
 * a line saying so, if it cannot be read */
void *test_load_file(const char *path, size_t *size);

/* fn on every *.dtb under dir (its subfolders too), each loaded with
 * test_load_file and freed after; how many there were */
unsigned int test_each_dtb(const char *dir, void (*fn)(void *fdt, size_t size, void *ctx),
			   void *ctx);

/* stop the current test (after a failed precondition) */
#define REQUIRE(cond)                                                     \
	do {                                                              \
		if (!(cond)) {                                            \
			test_fail_at(__FILE__, __LINE__, #cond);          \
			return;                                           \
		}                                                         \
	} while (0)

#endif
