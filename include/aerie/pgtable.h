/* SPDX-License-Identifier: MIT */
/*
 * Stage-2 page-table library (iommu/pgtable.c): Arm VMSAv8-64 stage-2
 * translation tables, 4K granule, one format usable both by the CPU
 * (VTTBR_EL2/VTCR_EL2) and by an SMMUv3 STE (S2TTB/S2 VTCR fields).
 *
 * Portable C: no MMIO, no arch code. Tables live in pages from
 * <aerie/page_alloc.h>, referenced by physical address (<aerie/pa.h>).
 *
 * Every operation is all-or-nothing: on error the tables are exactly as they
 * were, and nothing was allocated, freed or charged (struct pgtable_budget).
 * A successful map/unmap reports in `inv` what a TLB must forget; the caller
 * (SMMU driver, CPU stage-2 code) turns that into TLBIs. Map into empty
 * space never needs invalidation; a block that replaces a table an unmap
 * left empty (pgtable_unmap_keep) reports its range, with tables_freed: the
 * table's page is freed once that invalidation completed.
 */
#ifndef AERIE_PGTABLE_H
#define AERIE_PGTABLE_H

#include <aerie/types.h>

struct pgtable_inval;

/* permissions */
#define PT_R BIT_U32(0)
#define PT_W BIT_U32(1)
#define PT_X BIT_U32(2) /* instruction fetch allowed (CPU stage 2 only matters) */
#define BIT_U32(n) (1U << (n))

/* memory attributes */
enum pt_attr {
	PT_ATTR_NORMAL = 0, /* normal, inner/outer write-back, inner shareable */
	PT_ATTR_DEVICE = 1, /* device-nGnRE */
};

/*
 * An owner's budget of table pages, shared by any number of tables (NULL in
 * struct pgtable: uncharged, as the CPU stage 2). `used` counts every page
 * the tables hold, linked or waiting in deferred_free, so it always equals
 * the sum of their table_pages + deferred_pages. An operation that would
 * take `used` past `limit` fails with -ENOMEM before it allocates anything.
 */
struct pgtable_budget {
	u64 used;
	u64 limit;
};

struct pgtable {
	paddr_t root;		/* PA of the (possibly concatenated) start-level table */
	unsigned int ias;	/* input address bits (T0SZ = 64 - ias) */
	unsigned int oas;	/* output address bits */
	unsigned int start_level; /* 0..2 */
	unsigned int concat;	/* number of concatenated start-level tables (1..16) */
	u64 table_pages;	/* pages currently owned (root included) */
	bool pages_only;	/* map with 4K leaves only, never 2M/1G blocks */
	struct pgtable_budget *budget;	/* charged for every page held, or NULL */
	/* counters for cost assertions (never reset by the library) */
	u64 desc_writes;	/* descriptor stores made (leaf, block, table, invalid) */
	/*
	 * Break-before-make: when a live block must become a table (partial
	 * unmap of a block), the library writes the invalid entry, calls
	 * bbm_flush(bbm_cookie, range) so the owner invalidates TLBs and syncs,
	 * then writes the table. NULL while no walker can see the tables.
	 */
	void (*bbm_flush)(void *cookie, const struct pgtable_inval *inv);
	void *bbm_cookie;
	/*
	 * Table pages unlinked by an unmap are not freed at once: a walker may
	 * still hold them in its walk cache until the caller's invalidation
	 * completes. They wait here until pgtable_inval_complete().
	 */
	void *deferred_free;
	u64 deferred_pages;
	u64 abandoned_pages;	/* unlinked when an invalidation failed: never reused */
	/* pages pgtable_reserve() set aside (charged), taken first for tables */
	void *reserve;
	u64 reserved;
};

/* What a TLB must forget after an operation. */
struct pgtable_inval {
	u64 start;		/* first IPA/IOVA affected */
	u64 end;		/* one past the last; start == end: nothing to do */
	u64 min_leaf;		/* smallest leaf/block size removed or changed (4K, 2M, 1G) */
	u64 leaves;		/* number of leaf/block entries removed or changed */
	bool tables_freed;	/* a table page was freed: walk caches need invalidating too */
};

/*
 * Pick the geometry for `ias` input bits and `oas` output bits (both as the
 * hardware advertises: IAS from SMMU IDR5/CPU PARange, 32..48) and allocate
 * an empty root. Returns 0, -EINVAL (bad sizes) or -ENOMEM. With a budget,
 * every page the table holds is charged to it (-ENOMEM past its limit).
 */
int pgtable_init_charged(struct pgtable *pt, unsigned int ias, unsigned int oas,
			 struct pgtable_budget *budget);
/* the same, charging nothing (the CPU stage 2) */
static inline int pgtable_init(struct pgtable *pt, unsigned int ias, unsigned int oas)
{
	return pgtable_init_charged(pt, ias, oas, NULL);
}
/* free every page of the tables (mappings are simply dropped) */
void pgtable_destroy(struct pgtable *pt);

/*
 * Map [iova, iova+size) -> [pa, pa+size). Page aligned, size > 0, inside
 * the input and output ranges, prot a non-empty subset of PT_R|PT_W|PT_X.
 * Uses 1G/2M blocks whenever iova, pa and size allow (unless pages_only).
 * Errors: -EINVAL (alignment, range, prot, attr), -EEXIST (any part already
 * mapped; nothing changed), -ENOMEM (nothing changed).
 */
int pgtable_map(struct pgtable *pt, u64 iova, u64 size, paddr_t pa, u32 prot,
		enum pt_attr attr, struct pgtable_inval *inv);

/*
 * For several maps that must all happen or none (the same mapping in each
 * table of an IOAS): pgtable_map_need() checks one as pgtable_map() would
 * (0, -EINVAL, -EEXIST) and adds to *need the table pages it would take
 * now (an upper bound once other maps ran first); pgtable_reserve() charges
 * and allocates n pages (0 or -ENOMEM, nothing changed), which the next
 * maps take before allocating, so they cannot fail for want of a page;
 * pgtable_unreserve() gives back what they did not use.
 */
int pgtable_map_need(struct pgtable *pt, u64 iova, u64 size, paddr_t pa, u32 prot,
		     enum pt_attr attr, u64 *need);
int pgtable_reserve(struct pgtable *pt, u64 n);
void pgtable_unreserve(struct pgtable *pt);

/*
 * Unmap every mapping inside [iova, iova+size) (holes allowed); a block that
 * straddles an edge is split so only the range goes away. Table pages that
 * become empty are freed. *unmapped (may be NULL) gets the bytes that were
 * mapped. Errors: -EINVAL (alignment/range), -ENOMEM (a needed split could
 * not allocate; nothing changed).
 */
int pgtable_unmap(struct pgtable *pt, u64 iova, u64 size, struct pgtable_inval *inv,
		  u64 *unmapped);
/*
 * The same, but a table is freed only when its whole span lies inside the
 * range (it is empty then, without looking); one emptied by smaller unmaps
 * stays linked and charged until an unmap covers its span, pgtable_unmap()
 * finds it empty, or pgtable_destroy(), as in Linux's io-pgtable: no scan
 * of a table's 512 entries, a leaf-only TLBI, and the next map there
 * allocates nothing. The IOAS's unmaps use it.
 */
int pgtable_unmap_keep(struct pgtable *pt, u64 iova, u64 size, struct pgtable_inval *inv,
		       u64 *unmapped);

/* The caller has invalidated what the last operations reported: free the
 * table pages they unlinked. Also done by the next map/unmap and destroy. */
void pgtable_inval_complete(struct pgtable *pt);
/* The invalidation could not be completed: the unlinked table pages are
 * never freed (a walk cache may still point at them), only counted in
 * abandoned_pages. */
void pgtable_inval_abandon(struct pgtable *pt);

/* Software walk, as hardware would: 0 and the output, or -ENOENT. */
int pgtable_lookup(const struct pgtable *pt, u64 iova, paddr_t *pa, u32 *prot,
		   enum pt_attr *attr, u64 *leaf_size);

/* Stage-2 control fields for this table (VTCR_EL2 layout: T0SZ, SL0, IRGN0,
 * ORGN0, SH0, TG0, PS). The SMMU driver maps the same values onto STE
 * S2T0SZ/S2SL0/S2IR0/S2OR0/S2SH0/S2TG/S2PS. */
struct pgtable_s2cfg {
	u8 t0sz, sl0, irgn, orgn, sh, tg, ps;
};
void pgtable_s2cfg(const struct pgtable *pt, struct pgtable_s2cfg *cfg);
u64 pgtable_vtcr(const struct pgtable *pt); /* VTCR_EL2 value (VS=0) */
/* the 3-bit encoding of an address size shared by VTCR.PS, STE S2PS and
 * SMMU IDR5.OAS: 32->0, 36->1, 40->2, 42->3, 44->4, 48->5, 52->6 */
unsigned int pgtable_pa_bits_encoding(unsigned int bits);

#endif
