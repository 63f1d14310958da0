/* SPDX-License-Identifier: MIT */
/*
 * Bitmap page allocator core: one bitmap per RAM region (kept at the start of
 * the region itself), first fit from a hint, naturally aligned runs for
 * 2^order allocations. Portable; the hypervisor wraps it in page_alloc.c.
 */
#include <aerie/mem.h>
#include <aerie/pa.h>
#include <aerie/string.h>

/* pages [i, i + n) used (or free): a word at a time, so that a guest's
 * carve of 2 MiB is 8 words, not 512 bits */
static void mark(u64 *bm, u64 i, u64 n, bool used)
{
	while (n) {
		u64 b = i % 64, k = MIN(n, 64 - b);
		u64 m = (k == 64 ? ~0ULL : (1ULL << k) - 1) << b;

		if (used)
			bm[i / 64] |= m;
		else
			bm[i / 64] &= ~m;
		i += k;
		n -= k;
	}
}

/* the first used page in [i, i + n), or i + n if all of them are free */
static u64 first_used(const u64 *bm, u64 i, u64 n)
{
	u64 end = i + n;

	while (i < end) {
		u64 w = bm[i / 64] >> (i % 64);	/* the pages from i on in its word */

		if (w)
			return MIN(i + (u64)__builtin_ctzll(w), end);
		i = ALIGN_DOWN(i, 64) + 64;
	}
	return end;
}

void palloc_init(struct palloc *p)
{
	memset(p, 0, sizeof(*p));
}

int palloc_add(struct palloc *p, paddr_t base, u64 size)
{
	struct palloc_region *r;
	u64 pages, bm_pages;

	base = ALIGN_UP(base, PAGE_SIZE);
	size = ALIGN_DOWN(size, PAGE_SIZE);
	if (p->count == PALLOC_MAX_REGIONS)
		return -1;
	pages = size / PAGE_SIZE;
	bm_pages = ALIGN_UP(ALIGN_UP(pages, 64) / 8, PAGE_SIZE) / PAGE_SIZE;
	if (pages <= bm_pages + 1)
		return 0; /* too small to be worth it */
	r = &p->r[p->count++];
	r->bitmap = phys_to_virt(base);
	memset(r->bitmap, 0, bm_pages * PAGE_SIZE);
	r->base = base + bm_pages * PAGE_SIZE;
	r->pages = pages - bm_pages;
	/* bits past the end stay "used" so runs never cross it */
	mark(r->bitmap, r->pages, ALIGN_UP(r->pages, 64) - r->pages, true);
	r->hint = 0;
	p->total += r->pages;
	return 0;
}

/* find n free pages aligned (in PA) to `align` bytes in region r */
static s64 find_run(struct palloc_region *r, u64 n, u64 align, u64 from)
{
	u64 first = from;

	for (u64 i = first; i + n <= r->pages;) {
		paddr_t pa = r->base + i * PAGE_SIZE;
		u64 used;

		if (!IS_ALIGNED(pa, align)) {
			i = (ALIGN_UP(pa, align) - r->base) / PAGE_SIZE;
			continue;
		}
		if (n == 1 && r->bitmap[i / 64] == ~0ULL) { /* skip full words */
			i = ALIGN_UP(i + 1, 64);
			continue;
		}
		used = first_used(r->bitmap, i, n);
		if (used == i + n)
			return (s64)i;
		i = used + 1;
	}
	return -1;
}

static paddr_t take(struct palloc *p, u64 n, u64 align)
{
	for (unsigned int k = 0; k < p->count; k++) {
		struct palloc_region *r = &p->r[k];
		s64 i = find_run(r, n, align, n == 1 ? r->hint : 0);

		if (i < 0 && n == 1 && r->hint)
			i = find_run(r, n, align, 0);
		if (i < 0)
			continue;
		mark(r->bitmap, (u64)i, n, true);
		if (n == 1)
			r->hint = (u64)i + 1;
		return r->base + (u64)i * PAGE_SIZE;
	}
	return 0;
}

static struct palloc_region *region_of(struct palloc *p, paddr_t pa, u64 n)
{
	for (unsigned int k = 0; k < p->count; k++) {
		struct palloc_region *r = &p->r[k];
		if (pa >= r->base && (pa - r->base) / PAGE_SIZE + n <= r->pages)
			return r;
	}
	return NULL;
}

static void give_back(struct palloc *p, paddr_t pa, u64 n)
{
	struct palloc_region *r = region_of(p, pa, n);
	u64 i;

	if (!r)
		return;
	i = (pa - r->base) / PAGE_SIZE;
	mark(r->bitmap, i, n, false);
	if (i < r->hint)
		r->hint = i;
}

paddr_t palloc_alloc(struct palloc *p, unsigned int order)
{
	u64 n = 1ULL << order;
	paddr_t pa = take(p, n, n * PAGE_SIZE);

	if (pa) {
		memset(phys_to_virt(pa), 0, n * PAGE_SIZE);
		p->in_use += n;
		p->allocs++;
	}
	return pa;
}

void palloc_free(struct palloc *p, paddr_t pa, unsigned int order)
{
	u64 n = 1ULL << order;

	if (!pa)
		return;
	give_back(p, pa, n);
	p->in_use -= n;
	p->frees++;
}

paddr_t palloc_carve(struct palloc *p, u64 size, u64 align)
{
	u64 n = ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE;
	paddr_t pa;

	if (!n || !(align && !(align & (align - 1))))
		return 0;
	pa = take(p, n, align < PAGE_SIZE ? PAGE_SIZE : align);
	if (pa)
		p->carved += n;
	return pa;
}

void palloc_uncarve(struct palloc *p, paddr_t pa, u64 size)
{
	u64 n = ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE;

	give_back(p, pa, n);
	p->carved -= n;
}
