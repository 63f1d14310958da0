/* SPDX-License-Identifier: MIT */
/*
 * EL2 stage-1 translation: an identity map with 4 KiB granule, 48-bit VA.
 *  - RAM (every memory bank): normal write-back, read/write, execute-never,
 *    except no-map reserved regions (/reserved-memory), left unmapped;
 *  - Aerie's image: text read-only+executable, rodata read-only, data/BSS
 *    read/write (all but text execute-never);
 *  - the board's MMIO (UART, GIC, SMMU, PCIe ECAM and windows): device-nGnRE,
 *    execute-never.
 * Tables come from a static pool (the page allocator is not needed yet),
 * zeroed as they are taken, and are shared by all CPUs.
 */
#include <aerie/arch.h>
#include <aerie/bits.h>
#include <aerie/errno.h>
#include <aerie/log.h>
#include <aerie/string.h>
#include <aerie/sysreg.h>

#define PT_VALID	BIT(0)
#define PT_TABLE	BIT(1)	/* table (levels 0-2) or page (level 3) */
#define PT_ATTRIDX	GENMASK(4, 2)
#define PT_AP_RO	BIT(7)	/* AP[2] */
#define PT_AP_RES1	BIT(6)	/* AP[1]: RES1 in the EL2 regime */
#define PT_SH		GENMASK(9, 8)
#define PT_SH_INNER	3
#define PT_AF		BIT(10)
#define PT_XN		BIT(54)
#define PT_ADDR		GENMASK(47, 12)

#define MAIR_IDX_DEVICE	0
#define MAIR_IDX_NORMAL	1
#define MAIR_DEVICE_nGnRE 0x04
#define MAIR_NORMAL_WB	0xff

#define TCR_T0SZ	GENMASK(5, 0)
#define TCR_IRGN0	GENMASK(9, 8)
#define TCR_ORGN0	GENMASK(11, 10)
#define TCR_SH0		GENMASK(13, 12)
#define TCR_TG0		GENMASK(15, 14)
#define TCR_PS		GENMASK(18, 16)
#define TCR_RES1	(BIT(31) | BIT(23))
#define TCR_WBWA	1

#define SCTLR_M		BIT(0)
#define SCTLR_C		BIT(2)
#define SCTLR_SA	BIT(3)
#define SCTLR_I		BIT(12)
#define SCTLR_WXN	BIT(19)
#define SCTLR_EL2_RES1	(BIT(4) | BIT(5) | BIT(11) | BIT(16) | BIT(18) | BIT(22) | \
			 BIT(23) | BIT(28) | BIT(29))

#define VA_BITS		48
#define POOL_PAGES	64

enum map_kind { MAP_RAM, MAP_TEXT, MAP_RODATA, MAP_DEVICE };

/* not zeroed at boot (linker/aerie.ld): new_table() zeroes what it hands out */
static u64 pt_pool[POOL_PAGES][512] __aligned(4096) __attribute__((section(".bss.noinit")));
static unsigned int pt_used;
static u64 *root;
static u64 tcr_val;

static u64 *new_table(void)
{
	if (pt_used == POOL_PAGES)
		return NULL;
	return memset(pt_pool[pt_used++], 0, sizeof(pt_pool[0]));
}

static u64 attrs(enum map_kind k)
{
	u64 a = PT_AF | PT_AP_RES1;

	switch (k) {
	case MAP_RAM:
		return a | FIELD_PREP(PT_ATTRIDX, MAIR_IDX_NORMAL) |
		       FIELD_PREP(PT_SH, PT_SH_INNER) | PT_XN;
	case MAP_TEXT:
		return a | FIELD_PREP(PT_ATTRIDX, MAIR_IDX_NORMAL) |
		       FIELD_PREP(PT_SH, PT_SH_INNER) | PT_AP_RO;
	case MAP_RODATA:
		return a | FIELD_PREP(PT_ATTRIDX, MAIR_IDX_NORMAL) |
		       FIELD_PREP(PT_SH, PT_SH_INNER) | PT_AP_RO | PT_XN;
	default:
		return a | FIELD_PREP(PT_ATTRIDX, MAIR_IDX_DEVICE) | PT_XN;
	}
}

static unsigned int idx(u64 va, int level)
{
	return (va >> (39 - 9 * level)) & 511;
}

/* identity-map [start, end) with the largest blocks alignment allows;
 * existing entries are left alone (first mapping wins) */
static int map_range(u64 start, u64 end, enum map_kind kind)
{
	u64 a = attrs(kind);

	start = ALIGN_DOWN(start, PAGE_SIZE);
	end = ALIGN_UP(end, PAGE_SIZE);
	while (start < end) {
		u64 *t = root;
		int level;

		for (level = 0; level < 3; level++) {
			u64 bsize = 1ULL << (39 - 9 * level);
			u64 *e = &t[idx(start, level)];

			if (level >= 1 && IS_ALIGNED(start, bsize) && end - start >= bsize &&
			    !*e) {
				/* and the next blocks of this table, without walking
				 * down again */
				do {
					*e++ = start | a | PT_VALID;
					start += bsize;
				} while (idx(start, level) && end - start >= bsize && !*e);
				break;
			}
			if (!*e) {
				u64 *n = new_table();
				if (!n)
					return -ENOMEM;
				*e = (u64)(uintptr_t)n | PT_TABLE | PT_VALID;
			} else if (!(*e & PT_TABLE)) {
				/* already covered by a block: skip to its end */
				start = ALIGN_DOWN(start, bsize) + bsize;
				break;
			}
			t = (u64 *)(uintptr_t)(*e & PT_ADDR);
		}
		/* the rest of this last-level table, without walking down again */
		for (; level == 3 && start < end; start += PAGE_SIZE) {
			u64 *e = &t[idx(start, 3)];
			if (!*e)
				*e = start | a | PT_TABLE | PT_VALID;
			if (idx(start + PAGE_SIZE, 3) == 0)
				level = 0;
		}
	}
	return 0;
}

static void map_device(paddr_t base, u64 size)
{
	if (size)
		map_range(ALIGN_DOWN(base, 1UL << 21), ALIGN_UP(base + size, 1UL << 21),
			  MAP_DEVICE);
}

/* the next hole at or after `cur` in a RAM bank: Aerie's image (mapped
 * apart) or a no-map reserved region (never mapped at all, so never cached
 * or speculatively read), widened to whole pages */
static bool next_hole(const struct board *b, u64 cur, u64 img_s, u64 img_e,
		      u64 *hs, u64 *he)
{
	bool found = false;

	*hs = ~0ULL;
	if (img_e > cur) {
		*hs = img_s;
		*he = img_e;
		found = true;
	}
	for (unsigned int i = 0; i < b->reserved_count; i++) {
		const struct board_reserved *r = &b->reserved[i];
		u64 s = ALIGN_DOWN(r->base, PAGE_SIZE), e = ALIGN_UP(r->base + r->size, PAGE_SIZE);

		if (r->no_map && e > cur && s < *hs) {
			*hs = s;
			*he = e;
			found = true;
		}
	}
	return found;
}

static int map_bank(const struct board *b, u64 s, u64 e, u64 img_s, u64 img_e)
{
	u64 hs, he;
	int err = 0;

	while (s < e && next_hole(b, s, img_s, img_e, &hs, &he)) {
		if (hs > s)
			err |= map_range(s, MIN(hs, e), MAP_RAM);
		s = MAX(s, he);
	}
	if (s < e)
		err |= map_range(s, e, MAP_RAM);
	return err;
}

int mmu_init(const struct board *b, paddr_t image_start, paddr_t image_end)
{
	u64 parange = FIELD_GET(MMFR0_PARANGE, read_sysreg(id_aa64mmfr0_el1));
	int err;

	root = new_table();
	/* the image first, at page granularity, so RAM blocks go around it */
	err = map_range(image_start, (u64)(uintptr_t)_etext, MAP_TEXT);
	err |= map_range((u64)(uintptr_t)_etext, (u64)(uintptr_t)_erodata, MAP_RODATA);
	err |= map_range((u64)(uintptr_t)_erodata, image_end, MAP_RAM);
	for (unsigned int i = 0; i < b->mem_count; i++)
		err |= map_bank(b, b->mem[i].base, b->mem[i].base + b->mem[i].size,
				image_start, image_end);
	if (b->uart.present)
		map_device(b->uart.base, b->uart.size);
	map_device(b->gic.dist_base, b->gic.dist_size);
	for (unsigned int i = 0; i < b->gic.redist_count; i++)
		map_device(b->gic.redist_base[i], b->gic.redist_size[i]);
	for (unsigned int i = 0; i < b->smmu_count; i++)
		map_device(b->smmus[i].base, b->smmus[i].size);
	map_device(b->pcie.ecam_base, b->pcie.ecam_size);
	for (unsigned int i = 0; i < b->pcie.range_count; i++)
		map_device(b->pcie.ranges[i].cpu_addr, b->pcie.ranges[i].size);
	if (err) {
		pr_err("mmu: out of EL2 page-table pages (pool of %u)\n", POOL_PAGES);
		return -ENOMEM;
	}
	tcr_val = TCR_RES1 | FIELD_PREP(TCR_T0SZ, 64 - VA_BITS) |
		  FIELD_PREP(TCR_IRGN0, TCR_WBWA) | FIELD_PREP(TCR_ORGN0, TCR_WBWA) |
		  FIELD_PREP(TCR_SH0, PT_SH_INNER) | FIELD_PREP(TCR_TG0, 0) |
		  FIELD_PREP(TCR_PS, parange > 5 ? 5 : parange);
	mmu_enable_this_cpu();
	return 0;
}

void mmu_enable_this_cpu(void)
{
	write_sysreg(mair_el2, (MAIR_DEVICE_nGnRE << (8 * MAIR_IDX_DEVICE)) |
				       (MAIR_NORMAL_WB << (8 * MAIR_IDX_NORMAL)));
	write_sysreg(tcr_el2, tcr_val);
	write_sysreg(ttbr0_el2, (u64)(uintptr_t)root);
	dsb(ish);
	isb();
	__asm__ volatile("tlbi alle2" ::: "memory");
	dsb(ish);
	isb();
	write_sysreg(sctlr_el2, SCTLR_EL2_RES1 | SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_SA |
					SCTLR_WXN);
	isb();
}

unsigned int mmu_table_pages_used(void)
{
	return pt_used;
}
