/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's allocators: pages (palloc over the board's free RAM) and
 * small objects (size-class slabs on pages; a slab page goes back as soon as
 * its last object is freed, so page counters return to their start values).
 *
 * Two small caches keep the hot paths (an IOAS_MAP that needs page tables,
 * an object made and destroyed) off the lock, the bitmap search and the
 * clearing: pages given back all-zero (page_free_zeroed: emptied page
 * tables), up to ZERO_CACHE_MAX per CPU, handed out first on that CPU; and
 * one empty slab page per size class, kept instead of freed. Both are the
 * allocator's own: page_stats() counts them as free, and a contiguous
 * allocation that finds no run gives this CPU's zeroed pages back to the
 * bitmap and tries again.
 */
#include <aerie/errno.h>
#include <aerie/log.h>
#include <aerie/mem.h>
#include <aerie/pa.h>
#include <aerie/page_alloc.h>
#include <aerie/percpu.h>
#include <aerie/spinlock.h>
#include <aerie/string.h>

static struct palloc hyp_palloc;
static spinlock_t alloc_lock = SPINLOCK_INIT;

static void add_free(paddr_t start, paddr_t end)
{
	start = ALIGN_UP(start, PAGE_SIZE);
	end = ALIGN_DOWN(end, PAGE_SIZE);
	if (end > start)
		palloc_add(&hyp_palloc, start, end - start);
}

int mem_init(const struct board *b, const struct mem_reserved *res, unsigned int nres)
{
	palloc_init(&hyp_palloc);
	for (unsigned int i = 0; i < b->mem_count; i++) {
		paddr_t cur = b->mem[i].base, end = b->mem[i].base + b->mem[i].size;

		/* walk the reserved ranges in address order, adding the gaps */
		while (cur < end) {
			paddr_t next_res = end, next_end = end;
			for (unsigned int k = 0; k < nres; k++) {
				if (res[k].end > cur && res[k].start < next_res) {
					next_res = res[k].start > cur ? res[k].start : cur;
					next_end = res[k].end;
				}
			}
			if (next_res >= end) {
				add_free(cur, end);
				break;
			}
			add_free(cur, next_res);
			cur = ALIGN_UP(next_end, PAGE_SIZE);
		}
	}
	return hyp_palloc.total ? 0 : -ENOMEM;
}

/*
 * Pages given back all-zero, kept per CPU (Aerie runs with interrupts
 * masked: a CPU's own cache needs no lock) and counted free in page_stats.
 * Only this CPU's cache can be drained into the bitmap (a contiguous run
 * may need it): each CPU strands at most ZERO_CACHE_MAX pages.
 */
#define ZERO_CACHE_MAX 16
static struct zero_cache {
	void **head;		/* chained through their first word */
	u64 n, allocs, frees;
} __attribute__((aligned(64))) zero_cache[MAX_CPUS];

static struct zero_cache *my_zero_cache(void)
{
	return &zero_cache[this_cpu()->cpu_id];
}

/* this CPU's zeroed pages back to the bitmap; alloc_lock held */
static bool zero_cache_drain(void)
{
	struct zero_cache *z = my_zero_cache();
	bool any = z->head != NULL;

	while (z->head) {
		void **p = z->head;

		z->head = *p;
		*p = NULL;
		z->n--;
		palloc_free(&hyp_palloc, virt_to_phys(p), 0);
		hyp_palloc.frees--; /* counted when it was cached */
	}
	return any;
}

void *pages_alloc(unsigned int order)
{
	struct zero_cache *z = my_zero_cache();
	paddr_t pa;

	if (!order && z->head) {
		void **p = z->head;

		z->head = *p;
		z->n--;
		z->allocs++;
		*p = NULL;
		return p;
	}
	spin_lock(&alloc_lock);
	pa = palloc_alloc(&hyp_palloc, order);
	if (!pa && zero_cache_drain())
		pa = palloc_alloc(&hyp_palloc, order);
	spin_unlock(&alloc_lock);
	return pa ? phys_to_virt(pa) : NULL;
}

void page_free_zeroed(void *p)
{
	struct zero_cache *z = my_zero_cache();

	if (!p)
		return;
	if (z->n < ZERO_CACHE_MAX) {
		*(void **)p = z->head;
		z->head = p;
		z->n++;
		z->frees++;
		return;
	}
	pages_free(p, 0);
}

void pages_free(void *p, unsigned int order)
{
	if (!p)
		return;
	spin_lock(&alloc_lock);
	palloc_free(&hyp_palloc, virt_to_phys(p), order);
	spin_unlock(&alloc_lock);
}

void *page_alloc(void) { return pages_alloc(0); }
void page_free(void *p) { pages_free(p, 0); }

void page_stats(struct page_stats *out)
{
	spin_lock(&alloc_lock);
	out->total = hyp_palloc.total;
	out->in_use = hyp_palloc.in_use;
	out->allocs = hyp_palloc.allocs;
	out->frees = hyp_palloc.frees;
	spin_unlock(&alloc_lock);
	/* the CPUs' zeroed pages are free (read without their owners' help:
	 * a figure, exact whenever the other CPUs are not allocating) */
	for (unsigned int i = 0; i < MAX_CPUS; i++) {
		const volatile struct zero_cache *z = &zero_cache[i];

		out->in_use -= z->n;
		out->allocs += z->allocs;
		out->frees += z->frees;
	}
}

paddr_t mem_carve(u64 size, u64 align)
{
	paddr_t pa;

	spin_lock(&alloc_lock);
	pa = palloc_carve(&hyp_palloc, size, align);
	if (!pa && zero_cache_drain())
		pa = palloc_carve(&hyp_palloc, size, align);
	spin_unlock(&alloc_lock);
	if (pa)
		memset(phys_to_virt(pa), 0, ALIGN_UP(size, PAGE_SIZE));
	return pa;
}

void mem_uncarve(paddr_t pa, u64 size)
{
	spin_lock(&alloc_lock);
	palloc_uncarve(&hyp_palloc, pa, size);
	spin_unlock(&alloc_lock);
}

u64 mem_carved_bytes(void)
{
	return hyp_palloc.carved * PAGE_SIZE;
}

/* ---- small objects ------------------------------------------------------ */

#define SLAB_MIN_SHIFT 4	/* 16 bytes */
#define SLAB_CLASSES 8		/* 16 .. 2048 */

struct slab_page {
	struct slab_page *next;
	void *free;		/* free list of objects in this page */
	u32 used, capacity;
	u32 cls;
};

static struct slab_page *slabs[SLAB_CLASSES];
/* per class, the empty slab page kept for the next object (counted free) */
static struct slab_page *spare[SLAB_CLASSES];
static spinlock_t slab_lock = SPINLOCK_INIT;

static unsigned int size_class(size_t size)
{
	unsigned int c = 0;

	while ((16UL << c) < size)
		c++;
	return c;
}

static size_t class_size(unsigned int c) { return 16UL << c; }

void *obj_alloc(size_t size)
{
	struct slab_page *s;
	unsigned int c;
	void *obj;

	if (size == 0 || size > PAGE_SIZE)
		return NULL;
	if (size > PAGE_SIZE / 2)
		return page_alloc();
	c = size_class(size);
	spin_lock(&slab_lock);
	for (s = slabs[c]; s && !s->free; s = s->next)
		;
	if (!s) {
		size_t hdr = ALIGN_UP(sizeof(struct slab_page), class_size(c));
		u8 *page = page_alloc();

		if (!page) {
			spin_unlock(&slab_lock);
			return NULL;
		}
		s = (struct slab_page *)page;
		s->cls = c;
		s->capacity = (u32)((PAGE_SIZE - hdr) / class_size(c));
		for (u32 i = s->capacity; i-- > 0;) {
			void **o = (void **)(page + hdr + i * class_size(c));
			*o = s->free;
			s->free = o;
		}
		s->next = slabs[c];
		slabs[c] = s;
	}
	obj = s->free;
	s->free = *(void **)obj;
	if (!s->used++ && spare[c] == s) {
		spare[c] = NULL;
		spin_lock(&alloc_lock);
		hyp_palloc.in_use++;
		spin_unlock(&alloc_lock);
	}
	spin_unlock(&slab_lock);
	memset(obj, 0, class_size(c));
	return obj;
}

void obj_free(void *p, size_t size)
{
	struct slab_page *s, **link;

	if (!p)
		return;
	if (size > PAGE_SIZE / 2) {
		page_free(p);
		return;
	}
	s = (struct slab_page *)ALIGN_DOWN((uintptr_t)p, PAGE_SIZE);
	spin_lock(&slab_lock);
	*(void **)p = s->free;
	s->free = p;
	if (--s->used == 0 && !spare[s->cls]) {
		spare[s->cls] = s;
		spin_lock(&alloc_lock);
		hyp_palloc.in_use--;
		spin_unlock(&alloc_lock);
	} else if (s->used == 0) {
		for (link = &slabs[s->cls]; *link && *link != s; link = &(*link)->next)
			;
		if (*link)
			*link = s->next;
		spin_unlock(&slab_lock);
		page_free(s);
		return;
	}
	spin_unlock(&slab_lock);
}
