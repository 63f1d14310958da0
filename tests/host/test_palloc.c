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

/* the lowest run of n free pages of owner[] whose PA is align-aligned */
static s64 lowest_free_run(const u8 *owner, const struct palloc_region *r, u64 n, u64 align)
{
	for (u64 i = 0; i + n <= r->pages; i++) {
		u64 j = 0;

		if (!IS_ALIGNED(r->base + i * PAGE_SIZE, align))
			continue;
		while (j < n && !owner[i + j])
			j++;
		if (j == n)
			return (s64)i;
	}
	return -1;
}

/* random allocations, carves and frees against a page-by-page model: no
 * page handed out twice, a run (order > 0 or a carve) is exactly the
 * lowest free one that fits, and everything given back is free again
 * (the bitmap is marked and searched a word at a time) */
TEST(random_runs_match_a_page_by_page_model)
{
	static u8 owner[1024];
	struct { paddr_t pa; u64 n; bool carve; } live[64];
	unsigned int nlive = 0, seed = 1;
	const struct palloc_region *r;

	setup(4 << 20);
	r = &pa.r[0];
	REQUIRE(r->pages <= ARRAY_SIZE(owner));
	memset(owner, 0, sizeof(owner));
	for (int step = 0; step < 20000; step++) {
		unsigned int op;

		seed = seed * 1103515245 + 12345;
		op = (seed >> 16) % 3;
		if ((op == 2 || nlive == ARRAY_SIZE(live)) && nlive) {
			unsigned int k = (seed >> 8) % nlive;
			u64 i = (live[k].pa - r->base) / PAGE_SIZE;

			if (live[k].carve)
				palloc_uncarve(&pa, live[k].pa, live[k].n * PAGE_SIZE);
			else
				palloc_free(&pa, live[k].pa, (unsigned int)__builtin_ctzll(live[k].n));
			memset(owner + i, 0, live[k].n);
			live[k] = live[--nlive];
		} else if (op < 2) {
			bool carve = op == 1;
			unsigned int order = (seed >> 4) % 4;
			u64 n = carve ? 1 + (seed >> 6) % 200 : 1ULL << order;
			u64 align = carve ? (seed & 1 ? 2 << 20 : PAGE_SIZE) : n * PAGE_SIZE;
			paddr_t got = carve ? palloc_carve(&pa, n * PAGE_SIZE, align) :
					      palloc_alloc(&pa, order);
			s64 want = lowest_free_run(owner, r, n, align);

			if (!got) {
				CHECK_EQ(want, -1);
				continue;
			}
			REQUIRE(got >= r->base && IS_ALIGNED(got, align));
			u64 i = (got - r->base) / PAGE_SIZE;
			REQUIRE(i + n <= r->pages);
			if (n > 1)
				CHECK_EQ((s64)i, want);
			for (u64 j = 0; j < n; j++) {
				CHECK(!owner[i + j]);
				owner[i + j] = 1;
			}
			live[nlive].pa = got;
			live[nlive].n = n;
			live[nlive].carve = carve;
			nlive++;
		}
	}
	while (nlive--)
		if (live[nlive].carve)
			palloc_uncarve(&pa, live[nlive].pa, live[nlive].n * PAGE_SIZE);
		else
			palloc_free(&pa, live[nlive].pa, (unsigned int)__builtin_ctzll(live[nlive].n));
	CHECK_EQ(pa.in_use, 0);
	CHECK_EQ(pa.carved, 0);
	CHECK_EQ(palloc_carve(&pa, r->pages * PAGE_SIZE, PAGE_SIZE), r->base);
}

int main(int argc, char **argv) { return test_main(argc, argv); }
