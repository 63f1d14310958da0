/* SPDX-License-Identifier: MIT */
#include <dirent.h>
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

void *test_load_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	void *buf = NULL;
	long n;

	if (!f) {
		fprintf(stderr, "  cannot open %s\n", path);
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	if (n > 0)
		buf = malloc((size_t)n);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf && size)
		*size = (size_t)n;
	return buf;
}

unsigned int test_each_dtb(const char *dir, void (*fn)(void *fdt, size_t size, void *ctx),
			   void *ctx)
{
	unsigned int n = 0;
	struct dirent *e;
	DIR *d = opendir(dir);

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		char path[1024];
		size_t len = strlen(e->d_name), size;
		void *fdt;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (e->d_type == DT_DIR) {
			n += test_each_dtb(path, fn, ctx);
		} else if (len > 4 && !strcmp(e->d_name + len - 4, ".dtb")) {
			fdt = test_load_file(path, &size);
			if (!fdt)
				continue;
			n++;
			fn(fdt, size, ctx);
			free(fdt);
		}
	}
	closedir(d);
	return n;
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
