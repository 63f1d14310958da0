/* SPDX-License-Identifier: MIT */
/*
 * Hypervisor page allocator: page tables, stream tables, queues, object
 * storage. The hypervisor builds it from the RAM the DTB describes minus
 * Aerie's image and the DTB (vmm/page_alloc.c). Host tests provide the same
 * interface over a simulated physical memory arena, with fault injection
 * (tests/host/hostenv.c).
 *
 * All memory returned is zeroed, PAGE_SIZE aligned, and naturally aligned to
 * its size for contiguous allocations. Addresses are virtual; convert with
 * virt_to_phys()/phys_to_virt() (<aerie/pa.h>).
 */
#ifndef AERIE_PAGE_ALLOC_H
#define AERIE_PAGE_ALLOC_H

#include <aerie/types.h>

/* one zeroed page, or NULL */
void *page_alloc(void);
void page_free(void *page);
/*
 * Give back a page the caller knows is all zero (an emptied page table): the
 * next page_alloc() may hand it out again without clearing it. The host
 * tests' allocator checks the promise.
 */
void page_free_zeroed(void *page);
/* 2^order contiguous zeroed pages aligned to their total size, or NULL */
void *pages_alloc(unsigned int order);
void pages_free(void *pages, unsigned int order);

struct page_stats {
	u64 total;	/* pages managed */
	u64 in_use;	/* pages handed out and not freed */
	u64 allocs;	/* successful allocation calls */
	u64 frees;	/* free calls */
};
void page_stats(struct page_stats *out);

/*
 * Small object allocation (object tables, structs): carved from pages.
 * obj_alloc returns zeroed memory of at least `size` bytes (<= PAGE_SIZE),
 * 16-byte aligned, or NULL. Counted in page_stats through its pages.
 */
void *obj_alloc(size_t size);
void obj_free(void *p, size_t size);

#endif
