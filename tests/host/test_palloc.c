/* SPDX-License-Identifier: MIT */
/* The page allocator core (vmm/palloc.c) over simulated RAM regions. */
#include <aerie/mem.h>
#include <aerie/pa.h>
#include "hostenv.h"
#include "test.h"

static struct palloc pa;

static paddr_t setup(u64 size)
{
	paddr_t base = hostenv_ram_alloc(size, 1 << 21);

	palloc_init(&pa);
	CHECK_EQ(palloc_add(&pa, base, size), 0);
	return base;
}

TEST(pages_are_zeroed_unique_and_counted)
{
	paddr_t base = setup(4 << 20);
	paddr_t p[100];

	for (int i = 0; i < 100; i++) {
		p[i] = palloc_alloc(&pa, 0);
		REQUIRE(p[i]);
		CHECK(p[i] >= base && p[i] < base + (4 << 20));
		CHECK(IS_ALIGNED(p[i], PAGE_SIZE));
		for (int j = 0; j < i; j++)
			CHECK(p[i] != p[j]);
		*(u64 *)phys_to_virt(p[i]) = 0xdeadbeef;
	}
	CHECK_EQ(pa.in_use, 100);
	for (int i = 0; i < 100; i++)
		palloc_free(&pa, p[i], 0);
	CHECK_EQ(pa.in_use, 0);
	p[0] = palloc_alloc(&pa, 0);
	CHECK_EQ(*(u64 *)phys_to_virt(p[0]), 0); /* zeroed again */
}

TEST(the_bitmap_is_not_handed_out)
{
	paddr_t base = setup(1 << 20); /* 256 pages, bitmap needs 1 page */
	u64 n = 0;

	CHECK_EQ(pa.total, 255);
	while (palloc_alloc(&pa, 0))
		n++;
	CHECK_EQ(n, 255);
	CHECK(pa.r[0].base == base + PAGE_SIZE);
}

TEST(orders_are_naturally_aligned)
{
	setup(8 << 20);
	palloc_alloc(&pa, 0); /* misalign the free space */
	for (unsigned int order = 1; order <= 9; order++) {
		paddr_t p = palloc_alloc(&pa, order);
		REQUIRE(p);
		CHECK(IS_ALIGNED(p, PAGE_SIZE << order));
	}
}

TEST(carve_takes_aligned_ranges_apart_from_in_use)
{
	setup(16 << 20);
	paddr_t g = palloc_carve(&pa, 4 << 20, 2 << 20);

	REQUIRE(g);
	CHECK(IS_ALIGNED(g, 2 << 20));
	CHECK_EQ(pa.carved, 1024);
	CHECK_EQ(pa.in_use, 0);
	/* nothing else lands inside it */
	for (int i = 0; i < 500; i++) {
		paddr_t p = palloc_alloc(&pa, 0);
		REQUIRE(p);
		CHECK(p < g || p >= g + (4 << 20));
	}
	palloc_uncarve(&pa, g, 4 << 20);
	CHECK_EQ(pa.carved, 0);
	CHECK_EQ(palloc_carve(&pa, 64 << 20, 4096), 0); /* too big */
}

TEST(exhaustion_returns_zero)
{
	setup(1 << 20);
	CHECK_EQ(palloc_alloc(&pa, 9), 0); /* 2 MiB cannot fit in 1 MiB */
}

int main(int argc, char **argv) { return test_main(argc, argv); }
