/* SPDX-License-Identifier: MIT */
/*
 * Physical memory management.
 * - palloc: the portable bitmap page allocator core (vmm/palloc.c), host-tested.
 * - mem_init: builds the hypervisor's allocator from the board's RAM minus
 *   the reserved ranges (Aerie's image, the DTB, the initrd).
 * - mem_carve/mem_uncarve: large, aligned, contiguous ranges taken out of the
 *   allocator (guest RAM); counted apart from page_stats().in_use.
 */
#ifndef AERIE_MEM_H
#define AERIE_MEM_H

#include <aerie/board.h>
#include <aerie/types.h>

#define PALLOC_MAX_REGIONS 16

struct palloc_region {
	paddr_t base;		/* first managed page */
	u64 pages;
	u64 *bitmap;		/* 1 = used */
	u64 hint;
};

struct palloc {
	struct palloc_region r[PALLOC_MAX_REGIONS];
	unsigned int count;
	u64 total, in_use, carved, allocs, frees;
};

void palloc_init(struct palloc *p);
/* manage [base, base+size): its bitmap is taken from the start of the range */
int palloc_add(struct palloc *p, paddr_t base, u64 size);
paddr_t palloc_alloc(struct palloc *p, unsigned int order);	/* 0 = none */
void palloc_free(struct palloc *p, paddr_t pa, unsigned int order);
paddr_t palloc_carve(struct palloc *p, u64 size, u64 align);	/* 0 = none */
void palloc_uncarve(struct palloc *p, paddr_t pa, u64 size);

struct mem_reserved {
	paddr_t start, end;
};
int mem_init(const struct board *b, const struct mem_reserved *res, unsigned int nres);
paddr_t mem_carve(u64 size, u64 align);
void mem_uncarve(paddr_t pa, u64 size);
u64 mem_carved_bytes(void);

#endif
