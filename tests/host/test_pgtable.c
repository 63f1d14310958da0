/* SPDX-License-Identifier: MIT */
/*
 * Stage-2 page tables (iommu/pgtable.c) against an independent reference:
 * an interval list, and a table walker written here from the Arm ARM that
 * reads descriptors from memory the way hardware does.
 */
#include <aerie/errno.h>
#include <aerie/pa.h>
#include <aerie/page_alloc.h>
#include <aerie/pgtable.h>
#include "hostenv.h"
#include "test.h"

#define GiB (1ULL << 30)
#define MiB (1ULL << 20)
#define KiB (1ULL << 10)

/* ---- independent walker ---------------------------------------------------- */

struct hw_result {
	bool valid;
	u64 pa;
	bool r, w, x;
	unsigned int memattr;
	u64 leaf;
};

static u64 rd(paddr_t pa)
{
	u64 *p = phys_to_virt(pa);

	if (!p) {
		fprintf(stderr, "  walker: table address 0x%llx outside memory\n",
			(unsigned long long)pa);
		abort();
	}
	return *p;
}

/* VMSAv8-64 stage-2 walk, 4K granule; counts every table page reachable */
static struct hw_result hw_walk(const struct pgtable *pt, u64 ia)
{
	struct hw_result res = { 0 };
	paddr_t table = pt->root;
	unsigned int level = pt->start_level;

	for (;; level++) {
		unsigned int shift = 39 - 9 * level;
		u64 idx = (ia >> shift) & (level == pt->start_level ? (512ULL * pt->concat - 1) : 511);
		u64 d = rd(table + idx * 8);

		if (!(d & 1))
			return res;
		if (level < 3 && (d & 2)) {
			table = d & 0x0000fffffffff000ULL;
			continue;
		}
		if (level == 3 && !(d & 2))
			return res; /* reserved encoding */
		if (level == 0)
			return res; /* no level-0 blocks with 4K */
		if (!(d & (1 << 10)))
			return res; /* AF clear: would fault */
		res.valid = true;
		res.leaf = 1ULL << shift;
		res.pa = (d & 0x0000fffffffff000ULL & ~(res.leaf - 1)) | (ia & (res.leaf - 1));
		res.r = d >> 6 & 1;
		res.w = d >> 7 & 1;
		res.x = ((d >> 53) & 3) == 0;
		res.memattr = (d >> 2) & 0xf;
		return res;
	}
}

static u64 count_tables(paddr_t table, unsigned int level, u64 entries)
{
	u64 n = 1;

	for (u64 i = 0; i < entries; i++) {
		u64 d = rd(table + i * 8);
		if (level < 3 && (d & 3) == 3)
			n += count_tables(d & 0x0000fffffffff000ULL, level + 1, 512);
	}
	return n;
}

static u64 reachable_pages(const struct pgtable *pt)
{
	/* the concatenated root counts as pt->concat pages */
	return count_tables(pt->root, pt->start_level, 512ULL * pt->concat) - 1 + pt->concat;
}

/* ---- reference: interval list ----------------------------------------------- */

#define REF_MAX 4096
struct ref {
	u64 va, size, pa;
	u32 prot;
	enum pt_attr attr;
};
static struct ref refs[REF_MAX];
static int nref;

static const struct ref *ref_find(u64 va)
{
	for (int i = 0; i < nref; i++)
		if (va >= refs[i].va && va - refs[i].va < refs[i].size)
			return &refs[i];
	return NULL;
}

static bool ref_overlaps(u64 va, u64 size)
{
	for (int i = 0; i < nref; i++)
		if (ranges_overlap(va, size, refs[i].va, refs[i].size))
			return true;
	return false;
}

static void ref_add(u64 va, u64 size, u64 pa, u32 prot, enum pt_attr attr)
{
	refs[nref++] = (struct ref){ va, size, pa, prot, attr };
}

/* remove [va, va+size) from every interval, splitting as needed */
static u64 ref_remove(u64 va, u64 size)
{
	u64 removed = 0, end = va + size;

	for (int i = 0; i < nref; i++) {
		struct ref r = refs[i];
		u64 rend = r.va + r.size;
		u64 lo = MAX(va, r.va), hi = MIN(end, rend);

		if (lo >= hi)
			continue;
		removed += hi - lo;
		refs[i] = refs[--nref];
		i--;
		if (r.va < lo)
			ref_add(r.va, lo - r.va, r.pa, r.prot, r.attr);
		if (hi < rend)
			ref_add(hi, rend - hi, r.pa + (hi - r.va), r.prot, r.attr);
	}
	return removed;
}

static void check_addr(const struct pgtable *pt, u64 va)
{
	const struct ref *r = ref_find(va);
	struct hw_result h = hw_walk(pt, va);

	if (!r) {
		if (h.valid) {
			fprintf(stderr, "  0x%llx: mapped in tables, not in reference\n",
				(unsigned long long)va);
			test_fail_at(__FILE__, __LINE__, "unexpected mapping");
		}
		return;
	}
	if (!h.valid || h.pa != r->pa + (va - r->va) || h.r != !!(r->prot & PT_R) ||
	    h.w != !!(r->prot & PT_W) || h.x != !!(r->prot & PT_X) ||
	    h.memattr != (r->attr == PT_ATTR_DEVICE ? 0x1 : 0xf)) {
		fprintf(stderr, "  0x%llx: tables valid=%d pa=0x%llx r%dw%dx%d attr=%u; "
				"reference pa=0x%llx prot=%u attr=%d\n",
			(unsigned long long)va, h.valid, (unsigned long long)h.pa, h.r, h.w, h.x,
			h.memattr, (unsigned long long)(r->pa + (va - r->va)), r->prot, r->attr);
		test_fail_at(__FILE__, __LINE__, "mapping differs from reference");
	}
}

static unsigned long long rng_state;
static u64 rnd(void)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return rng_state >> 17;
}

static void check_all(const struct pgtable *pt, u64 span)
{
	struct page_stats s;

	/* every interval edge, and random samples */
	for (int i = 0; i < nref; i++) {
		check_addr(pt, refs[i].va);
		check_addr(pt, refs[i].va + refs[i].size - PAGE_SIZE);
		if (refs[i].va >= PAGE_SIZE)
			check_addr(pt, refs[i].va - PAGE_SIZE);
		check_addr(pt, refs[i].va + refs[i].size);
	}
	for (int i = 0; i < 200; i++)
		check_addr(pt, ALIGN_DOWN(rnd() % span, PAGE_SIZE));
	CHECK_EQ(reachable_pages(pt), pt->table_pages);
	page_stats(&s);
	CHECK_EQ(s.in_use, pt->table_pages + pt->deferred_pages);
}

/* ---- tests ------------------------------------------------------------------ */

static void random_ops(unsigned int ias, u64 span, int ops, unsigned long long seed)
{
	struct pgtable pt;
	struct page_stats s;
	static const u64 sizes[] = { 4 * KiB, 8 * KiB, 60 * KiB, 2 * MiB, 2 * MiB + 4 * KiB,
				     6 * MiB, 1 * GiB, 1 * GiB + 2 * MiB };

	rng_state = seed;
	nref = 0;
	REQUIRE(pgtable_init(&pt, ias, 40) == 0);
	for (int op = 0; op < ops && !test_current_failed; op++) {
		u64 size = sizes[rnd() % ARRAY_SIZE(sizes)];
		u64 align = (rnd() % 3 == 0) ? PAGE_SIZE : (rnd() % 2 ? 2 * MiB : 1 * GiB);
		u64 va;
		struct pgtable_inval inv;

		/* keep 4K-granular maps small: the test pool is 64 MiB */
		if (size >= 1 * GiB && align == PAGE_SIZE)
			align = 2 * MiB;
		va = ALIGN_DOWN(rnd() % span, align);

		if (va + size > span)
			continue;
		if (rnd() % 3) {
			u64 pa = ALIGN_DOWN(rnd() % (1ULL << 39), align);
			u32 prot = (u32)(rnd() % 7) + 1;
			enum pt_attr attr = rnd() % 4 ? PT_ATTR_NORMAL : PT_ATTR_DEVICE;
			int err = pgtable_map(&pt, va, size, pa, prot, attr, &inv);

			if (ref_overlaps(va, size)) {
				CHECK_EQ(err, -EEXIST);
			} else {
				CHECK_EQ(err, 0);
				CHECK_EQ(inv.end - inv.start, 0);
				if (!err)
					ref_add(va, size, pa, prot, attr);
			}
		} else {
			u64 unmapped = 0;
			int err = pgtable_unmap(&pt, va, size, &inv, &unmapped);

			CHECK_EQ(err, 0);
			CHECK_EQ(unmapped, ref_remove(va, size));
			if (unmapped) {
				CHECK(inv.start >= va && inv.end <= va + size);
				CHECK(inv.leaves > 0);
			}
			if (rnd() % 2)
				pgtable_inval_complete(&pt);
		}
		check_all(&pt, span);
	}
	pgtable_destroy(&pt);
	page_stats(&s);
	CHECK_EQ(s.in_use, 0);
}

TEST(random_ops_ias39)
{
	random_ops(39, 8 * GiB, 800, 1);
}

TEST(random_ops_ias40_concatenated)
{
	random_ops(40, 1ULL << 40, 500, 2);
}

TEST(random_ops_ias44_level0)
{
	random_ops(44, 1ULL << 41, 500, 3);
}

TEST(random_ops_ias48)
{
	random_ops(48, 1ULL << 48, 400, 4);
}

TEST(blocks_used_whenever_alignment_allows)
{
	struct pgtable pt;
	u64 leaf;

	REQUIRE(pgtable_init(&pt, 40, 40) == 0);
	/* 1G + 2M + 4K from a 1G-aligned address */
	CHECK_EQ(pgtable_map(&pt, 1 * GiB, 1 * GiB + 2 * MiB + 4 * KiB, 3 * GiB, PT_R | PT_W,
			     PT_ATTR_NORMAL, NULL), 0);
	CHECK_EQ(pgtable_lookup(&pt, 1 * GiB + 12345 * PAGE_SIZE, NULL, NULL, NULL, &leaf), 0);
	CHECK_EQ(leaf, 1 * GiB);
	CHECK_EQ(pgtable_lookup(&pt, 2 * GiB, NULL, NULL, NULL, &leaf), 0);
	CHECK_EQ(leaf, 2 * MiB);
	CHECK_EQ(pgtable_lookup(&pt, 2 * GiB + 2 * MiB, NULL, NULL, NULL, &leaf), 0);
	CHECK_EQ(leaf, 4 * KiB);
	/* misaligned PA: no blocks even though the IOVA is aligned */
	CHECK_EQ(pgtable_map(&pt, 8 * GiB, 4 * MiB, 16 * GiB + 4 * KiB, PT_R, PT_ATTR_NORMAL,
			     NULL), 0);
	CHECK_EQ(pgtable_lookup(&pt, 8 * GiB, NULL, NULL, NULL, &leaf), 0);
	CHECK_EQ(leaf, 4 * KiB);
	pgtable_destroy(&pt);
}

TEST(exact_cost_of_mapping_4k_pages)
{
	struct pgtable pt;
	u64 w0, t0;

	REQUIRE(pgtable_init(&pt, 39, 40) == 0);
	w0 = pt.desc_writes;
	t0 = pt.table_pages;
	/* 512 aligned pages into an empty table: one L2 + one L3 table created */
	CHECK_EQ(pgtable_map(&pt, 4 * GiB + 4 * KiB, 511 * PAGE_SIZE, 4 * KiB, PT_R | PT_W,
			     PT_ATTR_NORMAL, NULL), 0);
	CHECK_EQ(pt.table_pages - t0, 2);
	CHECK_EQ(pt.desc_writes - w0, 511 + 2);
	/* more pages into the same L3 table: exactly one write each */
	w0 = pt.desc_writes;
	CHECK_EQ(pgtable_map(&pt, 4 * GiB, PAGE_SIZE, 0, PT_R, PT_ATTR_NORMAL, NULL), 0);
	CHECK_EQ(pt.desc_writes - w0, 1);
	pgtable_destroy(&pt);
}

TEST(exact_cost_of_blocks)
{
	struct pgtable pt;
	u64 w0;
	struct pgtable_inval inv;

	REQUIRE(pgtable_init(&pt, 39, 40) == 0);
	/* a 2M block needs an L2 table: 1 table descriptor + 1 block */
	w0 = pt.desc_writes;
	CHECK_EQ(pgtable_map(&pt, 2 * MiB, 2 * MiB, 2 * MiB, PT_R, PT_ATTR_NORMAL, &inv), 0);
	CHECK_EQ(pt.desc_writes - w0, 2);
	CHECK_EQ(inv.end - inv.start, 0);
	/* a 1G-aligned 1 GiB map into the existing level-1 table: one write */
	w0 = pt.desc_writes;
	CHECK_EQ(pgtable_map(&pt, 3 * GiB, 1 * GiB, 1 * GiB, PT_R, PT_ATTR_NORMAL, &inv), 0);
	CHECK_EQ(pt.desc_writes - w0, 1);
	CHECK_EQ(pt.table_pages, 2);
	pgtable_destroy(&pt);
}

TEST(unmap_reports_exactly_what_to_invalidate)
{
	struct pgtable pt;
	struct pgtable_inval inv;
	u64 unmapped;

	REQUIRE(pgtable_init(&pt, 39, 40) == 0);
	CHECK_EQ(pgtable_map(&pt, 1 * MiB, 100 * PAGE_SIZE, 0, PT_R, PT_ATTR_NORMAL, NULL), 0);
	CHECK_EQ(pgtable_unmap(&pt, 1 * MiB + 10 * PAGE_SIZE, 30 * PAGE_SIZE, &inv, &unmapped), 0);
	CHECK_EQ(unmapped, 30 * PAGE_SIZE);
	CHECK_EQ(inv.leaves, 30);
	CHECK_EQ(inv.start, 1 * MiB + 10 * PAGE_SIZE);
	CHECK_EQ(inv.end, 1 * MiB + 40 * PAGE_SIZE);
	CHECK_EQ(inv.min_leaf, PAGE_SIZE);
	CHECK(!inv.tables_freed);
	/* the rest: tables become empty and are freed (after completion) */
	CHECK_EQ(pgtable_unmap(&pt, 0, 1 * GiB, &inv, &unmapped), 0);
	CHECK_EQ(unmapped, 70 * PAGE_SIZE);
	CHECK(inv.tables_freed);
	CHECK_EQ(pt.table_pages, 1);
	CHECK_EQ(pt.deferred_pages, 2);
	pgtable_inval_complete(&pt);
	CHECK_EQ(pt.deferred_pages, 0);
	/* unmapping a hole: nothing to invalidate */
	CHECK_EQ(pgtable_unmap(&pt, 0, 1 * GiB, &inv, &unmapped), 0);
	CHECK_EQ(unmapped, 0);
	CHECK_EQ(inv.end - inv.start, 0);
	pgtable_destroy(&pt);
}

static struct pgtable *bbm_pt;
static u64 bbm_calls, bbm_start, bbm_end;
static bool bbm_saw_invalid;

static void bbm_hook(void *cookie, const struct pgtable_inval *inv)
{
	struct hw_result h = hw_walk(bbm_pt, inv->start);

	bbm_calls++;
	bbm_start = inv->start;
	bbm_end = inv->end;
	bbm_saw_invalid = !h.valid; /* the block is gone, the table not yet there */
	CHECK(cookie == (void *)0x1234);
}

TEST(partial_unmap_splits_a_live_block_with_bbm)
{
	struct pgtable pt;
	struct pgtable_inval inv;
	u64 unmapped, leaf;

	REQUIRE(pgtable_init(&pt, 39, 40) == 0);
	bbm_pt = &pt;
	bbm_calls = 0;
	pt.bbm_flush = bbm_hook;
	pt.bbm_cookie = (void *)0x1234;
	CHECK_EQ(pgtable_map(&pt, 1 * GiB, 1 * GiB, 5 * GiB, PT_R | PT_W, PT_ATTR_NORMAL, NULL), 0);
	/* remove 4K in the middle: 1G -> 2M blocks -> 4K pages */
	CHECK_EQ(pgtable_unmap(&pt, 1 * GiB + 3 * MiB, PAGE_SIZE, &inv, &unmapped), 0);
	CHECK_EQ(unmapped, PAGE_SIZE);
	CHECK_EQ(bbm_calls, 1);
	CHECK(bbm_saw_invalid);
	CHECK_EQ(bbm_start, 1 * GiB);
	CHECK_EQ(bbm_end, 2 * GiB);
	CHECK_EQ(pt.table_pages, 3);
	CHECK(!hw_walk(&pt, 1 * GiB + 3 * MiB).valid);
	CHECK_EQ(hw_walk(&pt, 1 * GiB + 3 * MiB + PAGE_SIZE).pa, 5 * GiB + 3 * MiB + PAGE_SIZE);
	CHECK_EQ(pgtable_lookup(&pt, 1 * GiB + 300 * MiB, NULL, NULL, NULL, &leaf), 0);
	CHECK_EQ(leaf, 2 * MiB);
	CHECK(hw_walk(&pt, 1 * GiB + 3 * MiB - PAGE_SIZE).w);
	pgtable_destroy(&pt);
}

static void snapshot(const struct pgtable *pt, u64 *buf, u64 *n)
{
	/* all reachable table contents, in walk order */
	struct frame {
		paddr_t t;
		unsigned int level;
		u64 entries;
	} stack[64];
	int sp = 0;

	*n = 0;
	stack[sp++] = (struct frame){ pt->root, pt->start_level, 512ULL * pt->concat };
	while (sp) {
		struct frame f = stack[--sp];
		for (u64 i = 0; i < f.entries; i++) {
			u64 d = rd(f.t + i * 8);
			buf[(*n)++] = d;
			if (f.level < 3 && (d & 3) == 3)
				stack[sp++] = (struct frame){ d & 0x0000fffffffff000ULL,
							      f.level + 1, 512 };
		}
	}
}

static u64 snap_a[64 * 512], snap_b[64 * 512];

TEST(errors_change_nothing)
{
	struct pgtable pt;
	u64 na, nb;
	struct page_stats s0, s1;

	REQUIRE(pgtable_init(&pt, 39, 40) == 0);
	CHECK_EQ(pgtable_map(&pt, 2 * MiB, 4 * MiB, 0, PT_R, PT_ATTR_NORMAL, NULL), 0);
	CHECK_EQ(pgtable_map(&pt, 16 * MiB, 16 * KiB, 0, PT_R, PT_ATTR_NORMAL, NULL), 0);
	snapshot(&pt, snap_a, &na);
	page_stats(&s0);
	/* overlap at the end of a longer range: nothing of it may be mapped */
	CHECK_EQ(pgtable_map(&pt, 0, 3 * MiB, 0, PT_R, PT_ATTR_NORMAL, NULL), -EEXIST);
	CHECK_EQ(pgtable_map(&pt, 16 * MiB - 8 * KiB, 12 * KiB, 0, PT_R, PT_ATTR_NORMAL, NULL),
		 -EEXIST);
	CHECK_EQ(pgtable_map(&pt, 1000, PAGE_SIZE, 0, PT_R, PT_ATTR_NORMAL, NULL), -EINVAL);
	CHECK_EQ(pgtable_map(&pt, 0, 1000, 0, PT_R, PT_ATTR_NORMAL, NULL), -EINVAL);
	CHECK_EQ(pgtable_map(&pt, 0, 0, 0, PT_R, PT_ATTR_NORMAL, NULL), -EINVAL);
	CHECK_EQ(pgtable_map(&pt, 0, PAGE_SIZE, 4097, PT_R, PT_ATTR_NORMAL, NULL), -EINVAL);
	CHECK_EQ(pgtable_map(&pt, 1ULL << 39, PAGE_SIZE, 0, PT_R, PT_ATTR_NORMAL, NULL), -EINVAL);
	CHECK_EQ(pgtable_map(&pt, (1ULL << 39) - PAGE_SIZE, 2 * PAGE_SIZE, 0, PT_R,
			     PT_ATTR_NORMAL, NULL), -EINVAL);
	CHECK_EQ(pgtable_map(&pt, 0, PAGE_SIZE, 1ULL << 40, PT_R, PT_ATTR_NORMAL, NULL), -EINVAL);
	CHECK_EQ(pgtable_map(&pt, ~0ULL & PAGE_MASK, 2 * PAGE_SIZE, 0, PT_R, PT_ATTR_NORMAL,
			     NULL), -EINVAL);
	CHECK_EQ(pgtable_map(&pt, 0, PAGE_SIZE, 0, 0, PT_ATTR_NORMAL, NULL), -EINVAL);
	CHECK_EQ(pgtable_map(&pt, 0, PAGE_SIZE, 0, 8, PT_ATTR_NORMAL, NULL), -EINVAL);
	CHECK_EQ(pgtable_map(&pt, 0, PAGE_SIZE, 0, PT_R, (enum pt_attr)7, NULL), -EINVAL);
	CHECK_EQ(pgtable_unmap(&pt, 1000, PAGE_SIZE, NULL, NULL), -EINVAL);
	CHECK_EQ(pgtable_unmap(&pt, 0, 0, NULL, NULL), -EINVAL);
	snapshot(&pt, snap_b, &nb);
	page_stats(&s1);
	CHECK_EQ(na, nb);
	CHECK(!memcmp(snap_a, snap_b, na * 8));
	CHECK_EQ(s0.in_use, s1.in_use);
	pgtable_destroy(&pt);
}

TEST(allocation_failure_at_every_point_changes_nothing)
{
	/* map needing 3 new tables; unmap splitting a 1G block twice */
	for (int which = 0; which < 2; which++) {
		for (unsigned long n = 1;; n++) {
			struct pgtable pt;
			u64 na, nb;
			struct page_stats s0, s1;
			int err;

			REQUIRE(pgtable_init(&pt, 39, 40) == 0);
			CHECK_EQ(pgtable_map(&pt, 1 * GiB, 1 * GiB, 1 * GiB, PT_R, PT_ATTR_NORMAL,
					     NULL), 0);
			snapshot(&pt, snap_a, &na);
			page_stats(&s0);
			hostenv_fail_nth(n);
			if (which == 0)
				err = pgtable_map(&pt, 4 * GiB + 4 * KiB, 8 * KiB, 0, PT_R,
						  PT_ATTR_NORMAL, NULL);
			else
				err = pgtable_unmap(&pt, 1 * GiB + 5 * MiB + 4 * KiB, 8 * KiB,
						    NULL, NULL);
			hostenv_fail_nth(0);
			if (err == 0) {
				CHECK(n > 1); /* the first allocation was needed */
				pgtable_destroy(&pt);
				break;
			}
			CHECK_EQ(err, -ENOMEM);
			snapshot(&pt, snap_b, &nb);
			page_stats(&s1);
			CHECK_EQ(na, nb);
			CHECK(!memcmp(snap_a, snap_b, na * 8));
			CHECK_EQ(s0.in_use, s1.in_use);
			pgtable_destroy(&pt);
			REQUIRE(n < 10);
		}
	}
}

TEST(control_register_encodings)
{
	struct pgtable pt;
	struct pgtable_s2cfg c;

	/* 39-bit IPA, 40-bit PA: start at level 1, one table */
	REQUIRE(pgtable_init(&pt, 39, 40) == 0);
	pgtable_s2cfg(&pt, &c);
	CHECK_EQ(c.t0sz, 25);
	CHECK_EQ(c.sl0, 1);
	CHECK_EQ(c.ps, 2);
	CHECK_EQ(c.tg, 0);
	/* VTCR_EL2: RES1 | PS=2 | SH0=3 | ORGN0=1 | IRGN0=1 | SL0=1 | T0SZ=25 */
	CHECK_EQ(pgtable_vtcr(&pt), 0x80000000ULL | (2 << 16) | (3 << 12) | (1 << 10) |
					    (1 << 8) | (1 << 6) | 25);
	pgtable_destroy(&pt);
	/* 42-bit IPA: level 1 with 8 concatenated tables */
	REQUIRE(pgtable_init(&pt, 42, 44) == 0);
	CHECK_EQ(pt.concat, 8);
	CHECK_EQ(pt.table_pages, 8);
	CHECK(IS_ALIGNED(pt.root, 8 * PAGE_SIZE));
	pgtable_s2cfg(&pt, &c);
	CHECK_EQ(c.t0sz, 22);
	CHECK_EQ(c.sl0, 1);
	CHECK_EQ(c.ps, 4);
	pgtable_destroy(&pt);
	/* 48-bit IPA: level 0 */
	REQUIRE(pgtable_init(&pt, 48, 48) == 0);
	pgtable_s2cfg(&pt, &c);
	CHECK_EQ(c.t0sz, 16);
	CHECK_EQ(c.sl0, 2);
	CHECK_EQ(c.ps, 5);
	pgtable_destroy(&pt);
	CHECK_EQ(pgtable_init(&pt, 31, 40), -EINVAL);
	CHECK_EQ(pgtable_init(&pt, 49, 40), -EINVAL);
}

int main(int argc, char **argv) { return test_main(argc, argv); }

/* make bench's counts table, gated: N aligned 4K pages into an empty table
 * cost exactly one write per leaf plus one per table created, no rewrites,
 * and report nothing to invalidate */
TEST(exact_cost_of_mapping_n_pages)
{
	static const u64 ns[] = { 1, 16, 512, 262144 };

	for (unsigned int i = 0; i < ARRAY_SIZE(ns) && !test_current_failed; i++) {
		struct pgtable pt;
		struct pgtable_inval inv;
		u64 n = ns[i], w0, t0;

		REQUIRE(pgtable_init(&pt, 40, 44) == 0);
		w0 = pt.desc_writes;
		t0 = pt.table_pages;
		/* IOVA 1G-aligned, PA 4K-offset: every page is a leaf */
		CHECK_EQ(pgtable_map(&pt, 1 * GiB, n * PAGE_SIZE, 8 * GiB + PAGE_SIZE, PT_R | PT_W,
				     PT_ATTR_NORMAL, &inv), 0);
		/* one L2 table, then one L3 table per 512 pages */
		CHECK_EQ(pt.table_pages - t0, 1 + (n + 511) / 512);
		CHECK_EQ(pt.desc_writes - w0, n + (pt.table_pages - t0));
		CHECK_EQ(inv.end - inv.start, 0);
		pgtable_destroy(&pt);
	}
}
