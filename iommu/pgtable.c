/* SPDX-License-Identifier: MIT */
/*
 * Stage-2 translation tables, VMSAv8-64, 4K granule: one format for the
 * CPU (VTTBR_EL2) and the SMMU (STE S2TTB).
 *
 * Every change is prepare-then-commit: a dry run of the same walk checks the
 * request (-EEXIST on any overlap) and counts the table pages it needs; they
 * are all charged to the budget (if any) and allocated before the first
 * descriptor is written, so a failure leaves the tables exactly as they
 * were. A page is uncharged when it is really freed (an unlinked table:
 * after the caller's invalidation). New tables are filled before the
 * descriptor that links them is written; a live block that must become a
 * table (partial unmap) goes through break-before-make with bbm_flush().
 */
#include <aerie/errno.h>
#include <aerie/mmio.h>
#include <aerie/pa.h>
#include <aerie/page_alloc.h>
#include <aerie/pgtable.h>
#include <aerie/string.h>
#include "pgtable_desc.h"

/* pages allocated by the prepare step and used by the commit, chained
 * through their first word */
struct prealloc {
	void *list;
	bool dry;		/* prepare: write nothing, count what is needed */
	u64 need;
};

static inline void write_desc(struct pgtable *pt, u64 *slot, u64 desc)
{
	*(volatile u64 *)slot = desc;
	pt->desc_writes++;
}

static inline u64 *table_of(u64 desc)
{
	return phys_to_virt(desc & S2_TABLE_ADDR);
}

static inline bool is_table(u64 desc, unsigned int level)
{
	return level < 3 && (desc & (S2_VALID | S2_TYPE_TABLE)) == (S2_VALID | S2_TYPE_TABLE);
}

static inline bool is_leaf(u64 desc, unsigned int level)
{
	return (desc & S2_VALID) && !is_table(desc, level);
}

static unsigned int level_index(const struct pgtable *pt, u64 va, unsigned int level)
{
	u64 idx = va >> PT_LEVEL_SHIFT(level);

	/* the start level may be concatenated: its index takes the upper bits */
	return (unsigned int)(level == pt->start_level ? idx : idx & (PT_ENTRIES - 1));
}

static u64 *root_table(const struct pgtable *pt)
{
	return phys_to_virt(pt->root);
}

static unsigned int concat_order(unsigned int concat)
{
	return concat <= 1 ? 0 : (unsigned int)ilog2_64(concat);
}

unsigned int pgtable_pa_bits_encoding(unsigned int oas)
{
	static const unsigned int bits[] = { 32, 36, 40, 42, 44, 48, 52 };

	for (unsigned int i = 0; i < ARRAY_SIZE(bits); i++)
		if (oas <= bits[i])
			return i;
	return 6;
}

/* charge n pages to the owner's budget before they are allocated */
static int charge(struct pgtable *pt, u64 n)
{
	struct pgtable_budget *b = pt->budget;

	if (b) {
		if (b->used + n > b->limit)
			return -ENOMEM;
		b->used += n;
	}
	return 0;
}

static void uncharge(struct pgtable *pt, u64 n)
{
	if (pt->budget)
		pt->budget->used -= n;
}

int pgtable_init_charged(struct pgtable *pt, unsigned int ias, unsigned int oas,
			 struct pgtable_budget *budget)
{
	void *root;

	memset(pt, 0, sizeof(*pt));
	pt->budget = budget;
	if (ias < 32 || ias > 48 || oas < 32 || oas > 48)
		return -EINVAL;
	if (ias <= 39) {
		pt->start_level = 1;
		pt->concat = 1;
	} else if (ias <= 43) {
		pt->start_level = 1;
		pt->concat = 1U << (ias - 39);
	} else {
		pt->start_level = 0;
		pt->concat = 1;
	}
	if (charge(pt, pt->concat))
		return -ENOMEM;
	root = pages_alloc(concat_order(pt->concat));
	if (!root) {
		uncharge(pt, pt->concat);
		return -ENOMEM;
	}
	pt->root = virt_to_phys(root);
	pt->ias = ias;
	pt->oas = oas;
	pt->table_pages = pt->concat;
	return 0;
}

static void free_tree(struct pgtable *pt, u64 *table, unsigned int level, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		if (is_table(table[i], level)) {
			free_tree(pt, table_of(table[i]), level + 1, PT_ENTRIES);
			page_free(table_of(table[i]));
			pt->table_pages--;
		}
	}
}

/* pages that are all zero but the first word chaining them: each cleared
 * and given back as zeroed; *list ends empty */
static void free_zeroed_chain(void **list)
{
	while (*list) {
		void **p = *list;

		*list = *p;
		*p = NULL;
		page_free_zeroed(p);
	}
}

void pgtable_inval_complete(struct pgtable *pt)
{
	uncharge(pt, pt->deferred_pages);
	pt->deferred_pages = 0;
	free_zeroed_chain(&pt->deferred_free);
}

void pgtable_inval_abandon(struct pgtable *pt)
{
	/* a walker may still hold them: they are never given back (uncharged:
	 * the owner's quota does not pay for the SMMU's failure) */
	uncharge(pt, pt->deferred_pages);
	pt->abandoned_pages += pt->deferred_pages;
	pt->deferred_pages = 0;
	pt->deferred_free = NULL;
}

void pgtable_destroy(struct pgtable *pt)
{
	if (!pt->root)
		return;
	pgtable_inval_complete(pt);
	pgtable_unreserve(pt);
	uncharge(pt, pt->table_pages);
	free_tree(pt, root_table(pt), pt->start_level, PT_ENTRIES * pt->concat);
	pages_free(root_table(pt), concat_order(pt->concat));
	pt->table_pages -= pt->concat;
	pt->root = 0;
}

/* ---- preallocation -------------------------------------------------------- */

static u64 *take_table(struct pgtable *pt, struct prealloc *pa)
{
	if (pa->dry) {
		pa->need++;
		return NULL;
	}
	u64 *t = pa->list;

	pa->list = *(void **)t;
	t[0] = 0;
	pt->table_pages++;
	return t;
}

/*
 * n table pages, chained through their first word onto *list (which must
 * be empty): the reserved ones first, the rest charged and allocated. All
 * or none: -ENOMEM gives every one back where it came from.
 */
static int get_pages(struct pgtable *pt, u64 n, void **list)
{
	u64 own = n > pt->reserved ? n - pt->reserved : 0;

	if (charge(pt, own))
		return -ENOMEM;
	for (u64 i = 0; i < own; i++) {
		void **page = page_alloc();

		if (!page) {
			free_zeroed_chain(list);
			uncharge(pt, own);
			return -ENOMEM;
		}
		*page = *list;
		*list = page;
	}
	for (u64 i = own; i < n; i++) {
		void **page = pt->reserve;

		pt->reserve = *page;
		pt->reserved--;
		*page = *list;
		*list = page;
	}
	return 0;
}

static int prealloc_fill(struct pgtable *pt, struct prealloc *pa)
{
	int err = get_pages(pt, pa->need, &pa->list);

	if (!err)
		pa->dry = false;
	return err;
}

int pgtable_reserve(struct pgtable *pt, u64 n)
{
	void *list = NULL;
	int err = get_pages(pt, n + pt->reserved, &list);

	if (!err) {
		/* all of them, the ones it had included, on the reserve */
		pt->reserve = list;
		pt->reserved = n + pt->reserved;
	}
	return err;
}

void pgtable_unreserve(struct pgtable *pt)
{
	uncharge(pt, pt->reserved);
	free_zeroed_chain(&pt->reserve);
	pt->reserved = 0;
}

/* ---- descriptors ----------------------------------------------------------- */

static u64 leaf_desc(paddr_t pa, u32 prot, enum pt_attr attr, unsigned int level)
{
	u64 d = (pa & S2_OA) | S2_VALID | S2_AF;

	if (level == 3)
		d |= S2_TYPE_TABLE; /* page descriptor */
	if (prot & PT_R)
		d |= S2_AP_R;
	if (prot & PT_W)
		d |= S2_AP_W;
	d |= FIELD_PREP(S2_XN, (prot & PT_X) ? S2_XN_NONE : S2_XN_ALL);
	if (attr == PT_ATTR_DEVICE)
		d |= FIELD_PREP(S2_MEMATTR, S2_MEMATTR_DEVICE_nGnRE);
	else
		d |= FIELD_PREP(S2_MEMATTR, S2_MEMATTR_NORMAL_WB) |
		     FIELD_PREP(S2_SH, S2_SH_INNER);
	return d;
}

static u64 table_desc(const u64 *table)
{
	return (virt_to_phys(table) & S2_TABLE_ADDR) | S2_VALID | S2_TYPE_TABLE;
}

/* ---- map ------------------------------------------------------------------- */

struct map_req {
	u32 prot;
	enum pt_attr attr;
	u64 va_to_pa;		/* pa = va + va_to_pa (mod 2^64) */
	struct pgtable_inval *inv; /* a table replaced by a block: walks to forget */
};

static void note_removed(struct pgtable_inval *inv, u64 va, u64 size);
static void note_table_freed(struct pgtable_inval *inv, u64 base, u64 size);
static bool table_empty(const u64 *t);

/*
 * A block where an unmap left an empty table (pgtable_unmap_keep): the
 * block replaces it, and the table is unlinked, to be freed once the
 * caller's invalidation (reported in r->inv, with tables_freed) made every
 * walk cache forget it. Until then a walker may still walk the old, empty
 * table: a fault, never another page.
 */
static void replace_table(struct pgtable *pt, const struct map_req *r, u64 *slot, u64 block,
			  u64 va, u64 size)
{
	u64 *t = table_of(*slot);

	write_desc(pt, slot, block);
	*(void **)t = pt->deferred_free;
	pt->deferred_free = t;
	pt->deferred_pages++;
	pt->table_pages--;
	note_removed(r->inv, va, size);
	note_table_freed(r->inv, va, size);
}

/*
 * Map [va, end) in `table` (NULL in a dry run = a table that does not exist
 * yet, i.e. empty). Returns 0 or -EEXIST.
 */
static int map_level(struct pgtable *pt, struct prealloc *pa, const struct map_req *r,
		     u64 *table, unsigned int level, u64 va, u64 end)
{
	u64 size = PT_LEVEL_SIZE(level);

	if (level == 3) {
		/* a run of pages inside one table: [va, end) never leaves it */
		u64 n = (end - va) >> PAGE_SHIFT;
		u64 *slot = table ? &table[level_index(pt, va, 3)] : NULL;
		u64 desc;

		if (pa->dry) {
			for (u64 i = 0; slot && i < n; i++)
				if (slot[i] & S2_VALID)
					return -EEXIST;
			return 0;
		}
		desc = leaf_desc(va + r->va_to_pa, r->prot, r->attr, 3);
		for (u64 i = 0; i < n; i++, desc += PAGE_SIZE)
			*(volatile u64 *)&slot[i] = desc;
		pt->desc_writes += n;
		return 0;
	}
	while (va < end) {
		u64 next = MIN(end, ALIGN_DOWN(va, size) + size);
		u64 *slot = table ? &table[level_index(pt, va, level)] : NULL;
		u64 desc = slot ? *slot : 0;
		paddr_t out = va + r->va_to_pa;
		int err;

		bool block = level >= 1 && !pt->pages_only && next - va == size &&
			     IS_ALIGNED(out, size);

		if (is_leaf(desc, level))
			return -EEXIST;
		if (level == 3 || (block && !is_table(desc, level))) {
			if (!pa->dry)
				write_desc(pt, slot, leaf_desc(out, r->prot, r->attr, level));
		} else if (block && table_empty(table_of(desc))) {
			if (!pa->dry)
				replace_table(pt, r, slot, leaf_desc(out, r->prot, r->attr, level), va,
					      size);
		} else if (is_table(desc, level)) {
			err = map_level(pt, pa, r, table_of(desc), level + 1, va, next);
			if (err)
				return err;
		} else {
			/* a new table, filled before it is linked */
			u64 *t = take_table(pt, pa);

			err = map_level(pt, pa, r, t, level + 1, va, next);
			if (err)
				return err;
			if (!pa->dry) {
				dma_wmb();
				write_desc(pt, slot, table_desc(t));
			}
		}
		va = next;
	}
	return 0;
}

/*
 * The common small map: 4K pages inside one level-3 table's 2 MiB span. One
 * walk finds the table (or the first level without one); the missing tables
 * are charged and allocated, filled and linked deepest first, the top one
 * last: the same writes and pages as map_level's two passes, without them.
 */
static int map_pages(struct pgtable *pt, u64 va, u64 n, u64 desc)
{
	u64 *t = root_table(pt), *slot = NULL, *leaf, *chain[3];
	unsigned int level = pt->start_level, shift = PT_LEVEL_SHIFT(level), top, k;
	u64 idx = va >> shift; /* the start level may be concatenated */

	for (; level < 3; level++) {
		slot = &t[idx];
		if (!(*slot & S2_VALID))
			break;
		if (!is_table(*slot, level))
			return -EEXIST;
		t = table_of(*slot);
		shift -= 9;
		idx = (va >> shift) & (PT_ENTRIES - 1);
	}
	top = level;
	if (top < 3) {
		void **list = NULL;

		if (get_pages(pt, 3 - top, (void **)&list))
			return -ENOMEM;
		for (k = 0; k < 3 - top; k++) {
			chain[k] = (u64 *)list;
			list = *list;
			chain[k][0] = 0;
		}
		pt->table_pages += 3 - top;
		/* chain[k] is the table of level top + 1 + k */
		for (k = 1; k < 3 - top; k++) {
			shift -= 9;
			write_desc(pt, &chain[k - 1][(va >> shift) & (PT_ENTRIES - 1)],
				   table_desc(chain[k]));
		}
		t = chain[3 - top - 1];
	}
	leaf = &t[(va >> PAGE_SHIFT) & (PT_ENTRIES - 1)];
	for (u64 i = 0; i < n; i++)
		if (leaf[i] & S2_VALID)
			return -EEXIST; /* only with every table there: nothing new */
	for (u64 i = 0; i < n; i++, desc += PAGE_SIZE)
		*(volatile u64 *)&leaf[i] = desc;
	pt->desc_writes += n;
	if (top < 3) {
		dma_wmb();
		write_desc(pt, slot, table_desc(chain[0]));
	}
	return 0;
}

static int check_range(const struct pgtable *pt, u64 iova, u64 size)
{
	if (!pt->root || !size || !IS_ALIGNED(iova, PAGE_SIZE) || !IS_ALIGNED(size, PAGE_SIZE))
		return -EINVAL;
	if (range_wraps(iova, size) || iova + size - 1 > (1ULL << pt->ias) - 1)
		return -EINVAL;
	return 0;
}

static void inval_reset(struct pgtable_inval *inv)
{
	if (inv) {
		inv->start = inv->end = inv->min_leaf = inv->leaves = 0;
		inv->tables_freed = false;
	}
}

/* inlined: a call would cost the small map a dozen instructions */
static inline __attribute__((always_inline)) int map_check(const struct pgtable *pt, u64 iova,
							   u64 size, paddr_t pa, u32 prot,
							   enum pt_attr attr)
{
	int err = check_range(pt, iova, size);

	if (err)
		return err;
	if (!IS_ALIGNED(pa, PAGE_SIZE) || range_wraps(pa, size) ||
	    pa + size - 1 > (1ULL << pt->oas) - 1)
		return -EINVAL;
	if (!(prot & (PT_R | PT_W | PT_X)) || (prot & ~(PT_R | PT_W | PT_X)) ||
	    (attr != PT_ATTR_NORMAL && attr != PT_ATTR_DEVICE))
		return -EINVAL;
	return 0;
}

/* 4K pages inside one 2 MiB span: map_pages' case */
static bool pages_in_one_table(u64 iova, u64 size)
{
	return size < PT_LEVEL_SIZE(2) &&
	       ALIGN_DOWN(iova, PT_LEVEL_SIZE(2)) == ALIGN_DOWN(iova + size - 1, PT_LEVEL_SIZE(2));
}

/* every map that is not a run of pages inside one 2 MiB span (out of
 * pgtable_map: its frame is not the small map's) */
static __attribute__((noinline)) int map_any(struct pgtable *pt, u64 iova, u64 size, paddr_t pa,
					     u32 prot, enum pt_attr attr, struct pgtable_inval *inv)
{
	struct prealloc pre = { .dry = true };
	struct map_req r = { prot, attr, pa - iova, inv };
	int err = map_level(pt, &pre, &r, root_table(pt), pt->start_level, iova, iova + size);

	if (!err)
		err = prealloc_fill(pt, &pre);
	/* the dry run proved it cannot fail and counted exactly what it takes */
	if (!err)
		err = map_level(pt, &pre, &r, root_table(pt), pt->start_level, iova, iova + size);
	return err;
}

int pgtable_map(struct pgtable *pt, u64 iova, u64 size, paddr_t pa, u32 prot,
		enum pt_attr attr, struct pgtable_inval *inv)
{
	int err;

	inval_reset(inv);
	err = map_check(pt, iova, size, pa, prot, attr);
	if (err)
		return err;
	pgtable_inval_complete(pt);
	if (pages_in_one_table(iova, size))
		return map_pages(pt, iova, size >> PAGE_SHIFT, leaf_desc(pa, prot, attr, 3));
	return map_any(pt, iova, size, pa, prot, attr, inv);
}

int pgtable_map_need(struct pgtable *pt, u64 iova, u64 size, paddr_t pa, u32 prot,
		     enum pt_attr attr, u64 *need)
{
	struct prealloc pre = { .dry = true };
	struct map_req r = { prot, attr, pa - iova, NULL };
	int err = map_check(pt, iova, size, pa, prot, attr);

	/* map_level's dry run: the tables either path of pgtable_map takes */
	if (!err)
		err = map_level(pt, &pre, &r, root_table(pt), pt->start_level, iova, iova + size);
	if (!err)
		*need += pre.need;
	return err;
}

/* ---- unmap ----------------------------------------------------------------- */

struct unmap_ctx {
	struct pgtable_inval *inv;
	u64 unmapped;
	bool prune;		/* free every table left empty, not only those unmapped whole */
};

/* [va, va + size) into the range to invalidate */
static void note_range(struct pgtable_inval *inv, u64 va, u64 size)
{
	if (inv->start == inv->end) {
		inv->start = va;
		inv->end = va + size;
	} else {
		inv->start = MIN(inv->start, va);
		inv->end = MAX(inv->end, va + size);
	}
}

static void note_removed(struct pgtable_inval *inv, u64 va, u64 size)
{
	if (!inv)
		return;
	note_range(inv, va, size);
	if (!inv->min_leaf || size < inv->min_leaf)
		inv->min_leaf = size;
	inv->leaves++;
}

/*
 * A table unlinked: the walk caches must forget every path through it.
 * A non-leaf TLBI of any address in its span does that, so the range goes
 * in, [va, va + size) (the operation's part of the span), whatever leaves
 * it removed there, if any: an unmap may free a table that smaller unmaps
 * emptied before (their TLBIs were leaf-only) and remove no leaf in it.
 */
static void note_table_freed(struct pgtable_inval *inv, u64 va, u64 size)
{
	if (!inv)
		return;
	note_range(inv, va, size);
	inv->tables_freed = true;
}

/* only on the rare paths now: a pruning unmap, a block over a table */
static bool table_empty(const u64 *t)
{
	for (unsigned int i = 0; i < PT_ENTRIES; i++)
		if (t[i])
			return false;
	return true;
}

/*
 * Fill a new table with entries that reproduce the block `desc` (level-1
 * block -> 512 level-2 blocks, level-2 block -> 512 pages).
 */
static void split_fill(struct pgtable *pt, u64 *t, u64 desc, unsigned int level)
{
	u64 sub = PT_LEVEL_SIZE(level + 1);
	u64 attrs = desc & ~S2_OA & ~(u64)S2_TYPE_TABLE;
	paddr_t base = desc & S2_OA;

	for (unsigned int i = 0; i < PT_ENTRIES; i++)
		write_desc(pt, &t[i], (base + i * sub) | attrs |
					      (level + 1 == 3 ? S2_TYPE_TABLE : 0));
}

static void unmap_level(struct pgtable *pt, struct prealloc *pa, struct unmap_ctx *c,
			u64 *table, unsigned int level, u64 va, u64 end, bool live)
{
	u64 size = PT_LEVEL_SIZE(level);

	while (va < end) {
		u64 next = MIN(end, ALIGN_DOWN(va, size) + size);
		u64 *slot = table ? &table[level_index(pt, va, level)] : NULL;
		u64 desc = slot ? *slot : 0;
		u64 base = ALIGN_DOWN(va, size);

		if (!(desc & S2_VALID)) {
			/* hole */
		} else if (is_leaf(desc, level) && next - va == size) {
			if (!pa->dry) {
				write_desc(pt, slot, 0);
				c->unmapped += size;
				note_removed(c->inv, va, size);
			}
		} else if (is_leaf(desc, level)) {
			/* part of a block: split it into a new table */
			u64 *t = take_table(pt, pa);

			if (pa->dry) {
				/* the new table's own splits, if the range is
				 * unaligned at the next level too */
				if (level + 1 < 3) {
					u64 sub = PT_LEVEL_SIZE(level + 1);
					u64 first = ALIGN_DOWN(va, sub);
					u64 last = ALIGN_DOWN(next - 1, sub);

					if (first == last)
						pa->need += !(va == first && next == first + sub);
					else
						pa->need += !IS_ALIGNED(va, sub) +
							    !IS_ALIGNED(next, sub);
				}
			} else {
				struct pgtable_inval bbm = {
					.start = base, .end = base + size,
					.min_leaf = size, .leaves = 1,
				};

				split_fill(pt, t, desc, level);
				unmap_level(pt, pa, c, t, level + 1, va, next, false);
				dma_wmb();
				if (live) {
					write_desc(pt, slot, 0);
					if (pt->bbm_flush)
						pt->bbm_flush(pt->bbm_cookie, &bbm);
				}
				write_desc(pt, slot, table_desc(t));
			}
		} else {
			u64 *t = table_of(desc);

			unmap_level(pt, pa, c, t, level + 1, va, next, live);
			/* a table whose whole span is unmapped is empty; with
			 * prune, so is any other found empty */
			if (!pa->dry && ((va == base && next == base + size) ||
					 (c->prune && table_empty(t)))) {
				write_desc(pt, slot, 0);
				/* freed after the caller's invalidation */
				*(void **)t = pt->deferred_free;
				pt->deferred_free = t;
				pt->deferred_pages++;
				pt->table_pages--;
				note_table_freed(c->inv, va, next - va);
			}
		}
		va = next;
	}
}

static int unmap(struct pgtable *pt, u64 iova, u64 size, struct pgtable_inval *inv,
		 u64 *unmapped, bool prune)
{
	struct prealloc pre = { .dry = true };
	struct unmap_ctx c = { inv, 0, prune };
	int err;

	inval_reset(inv);
	if (unmapped)
		*unmapped = 0;
	err = check_range(pt, iova, size);
	if (err)
		return err;
	pgtable_inval_complete(pt);
	unmap_level(pt, &pre, &c, root_table(pt), pt->start_level, iova, iova + size, true);
	err = prealloc_fill(pt, &pre);
	if (err)
		return err;
	unmap_level(pt, &pre, &c, root_table(pt), pt->start_level, iova, iova + size, true);
	if (unmapped)
		*unmapped = c.unmapped;
	return 0;
}

int pgtable_unmap(struct pgtable *pt, u64 iova, u64 size, struct pgtable_inval *inv,
		  u64 *unmapped)
{
	return unmap(pt, iova, size, inv, unmapped, true);
}

int pgtable_unmap_keep(struct pgtable *pt, u64 iova, u64 size, struct pgtable_inval *inv,
		       u64 *unmapped)
{
	return unmap(pt, iova, size, inv, unmapped, false);
}

/* ---- lookup and control registers ------------------------------------------ */

int pgtable_lookup(const struct pgtable *pt, u64 iova, paddr_t *pa, u32 *prot,
		   enum pt_attr *attr, u64 *leaf_size)
{
	const u64 *t = root_table(pt);
	unsigned int level;

	if (!pt->root || iova >> pt->ias)
		return -ENOENT;
	for (level = pt->start_level; level <= 3; level++) {
		u64 desc = t[level_index(pt, iova, level)];
		u64 size = PT_LEVEL_SIZE(level);

		if (!(desc & S2_VALID))
			return -ENOENT;
		if (is_table(desc, level)) {
			t = table_of(desc);
			continue;
		}
		if (pa)
			*pa = (desc & S2_OA & ~(size - 1)) | (iova & (size - 1));
		if (prot)
			*prot = ((desc & S2_AP_R) ? PT_R : 0) | ((desc & S2_AP_W) ? PT_W : 0) |
				(FIELD_GET(S2_XN, desc) == S2_XN_NONE ? PT_X : 0);
		if (attr)
			*attr = FIELD_GET(S2_MEMATTR, desc) == S2_MEMATTR_DEVICE_nGnRE ?
					PT_ATTR_DEVICE : PT_ATTR_NORMAL;
		if (leaf_size)
			*leaf_size = size;
		return 0;
	}
	return -ENOENT;
}

void pgtable_s2cfg(const struct pgtable *pt, struct pgtable_s2cfg *cfg)
{
	cfg->t0sz = (u8)(64 - pt->ias);
	cfg->sl0 = pt->start_level == 0 ? VTCR_SL0_4K_L0 : VTCR_SL0_4K_L1;
	cfg->irgn = VTCR_RGN_WBWA;
	cfg->orgn = VTCR_RGN_WBWA;
	cfg->sh = S2_SH_INNER;
	cfg->tg = VTCR_TG0_4K;
	cfg->ps = (u8)pgtable_pa_bits_encoding(pt->oas);
}

u64 pgtable_vtcr(const struct pgtable *pt)
{
	struct pgtable_s2cfg c;

	pgtable_s2cfg(pt, &c);
	return VTCR_RES1 | FIELD_PREP(VTCR_T0SZ, c.t0sz) | FIELD_PREP(VTCR_SL0, c.sl0) |
	       FIELD_PREP(VTCR_IRGN0, c.irgn) | FIELD_PREP(VTCR_ORGN0, c.orgn) |
	       FIELD_PREP(VTCR_SH0, c.sh) | FIELD_PREP(VTCR_TG0, c.tg) |
	       FIELD_PREP(VTCR_PS, c.ps);
}
