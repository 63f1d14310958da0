/* SPDX-License-Identifier: MIT */
/* The host environment itself: allocator counters, fail-nth, PA arena. */
#include <aerie/errno.h>
#include <aerie/pa.h>
#include <aerie/page_alloc.h>
#include "hostenv.h"
#include "test.h"

TEST(page_alloc_counts_and_zeroes)
{
	struct page_stats s;
	u8 *p = page_alloc();

	REQUIRE(p);
	for (int i = 0; i < (int)PAGE_SIZE; i++)
		CHECK_EQ(p[i], 0);
	page_stats(&s);
	CHECK_EQ(s.in_use, 1);
	page_free(p);
	page_stats(&s);
	CHECK_EQ(s.in_use, 0);
}

TEST(contig_alloc_is_naturally_aligned)
{
	void *a = page_alloc();
	void *b = pages_alloc(3);

	REQUIRE(a && b);
	CHECK(IS_ALIGNED(virt_to_phys(b), 8 * PAGE_SIZE));
	pages_free(b, 3);
	page_free(a);
}

TEST(fail_nth_fails_exactly_the_nth)
{
	void *a, *b, *c;

	hostenv_fail_nth(2);
	a = page_alloc();
	b = page_alloc();
	c = page_alloc();
	CHECK(a != NULL);
	CHECK(b == NULL);
	CHECK(c != NULL);
	page_free(a);
	page_free(c);
}

TEST(phys_virt_round_trip)
{
	paddr_t ram = hostenv_ram_alloc(1 << 21, 1 << 21);

	REQUIRE(ram);
	CHECK(IS_ALIGNED(ram, 1 << 21));
	CHECK_EQ(virt_to_phys(phys_to_virt(ram)), ram);
	CHECK(phys_to_virt(0x1000) == NULL);
	CHECK(hostenv_pa_valid(ram, 1 << 21));
	CHECK(!hostenv_pa_valid(~0ULL - 10, 100));
}

TEST(errno_names)
{
	CHECK(!strcmp(errno_name(-EOPNOTSUPP), "EOPNOTSUPP"));
	CHECK(!strcmp(errno_name(EINVAL), "EINVAL"));
}

int main(int argc, char **argv) { return test_main(argc, argv); }
