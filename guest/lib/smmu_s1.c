/* SPDX-License-Identifier: MIT */
/* A guest's SMMUv3 stage 1: context descriptor and translation tables. */
#include "aerie_guest.h"
#include "smmu_s1.h"

/* context descriptor, word 0 */
#define CD0_T0SZ(x)		((uint64_t)(x) << 0)
#define CD0_TG0_4K		(0ULL << 6)
#define CD0_IRGN0_WBWA		(1ULL << 8)
#define CD0_ORGN0_WBWA		(1ULL << 10)
#define CD0_SH0_IS		(3ULL << 12)
#define CD0_EPD1		(1ULL << 30)
#define CD0_V			(1ULL << 31)
#define CD0_IPS_40		(2ULL << 32)
#define CD0_AA64		(1ULL << 41)
#define CD0_R			(1ULL << 45)
#define CD0_A			(1ULL << 46)
#define CD0_ASET		(1ULL << 47)
#define CD0_ASID(x)		((uint64_t)(x) << 48)
#define CD1_TTB0_MASK		0x000ffffffffffff0ULL
#define CD3_MAIR_WB		0xffULL		/* attribute 0: normal WB RW-allocate */
/* translation table descriptors */
#define DESC_VALID		(1ULL << 0)
#define DESC_TABLE		(1ULL << 1)	/* at levels 1-2; "page" at level 3 */
#define DESC_AP_EL0		(1ULL << 6)
#define DESC_AP_RO		(1ULL << 7)
#define DESC_SH_IS		(3ULL << 8)
#define DESC_AF			(1ULL << 10)
#define DESC_ADDR_MASK		0x0000fffffffff000ULL
/* the vSTE */
#define STE0_V			(1ULL << 0)
#define STE0_CFG_S1		(5ULL << 1)
#define STE0_CTXPTR_MASK	0x000fffffffffffc0ULL
/* TLBI_NH_VA */
#define CMD_TLBI_NH_VA		0x12ULL
#define CMD0_ASID(x)		((uint64_t)(x) << 48)
#define CMD1_LEAF		(1ULL << 0)
#define CMD1_ADDR_MASK		0xfffffffffffff000ULL

#define VA_T0SZ			25
#define IDX(va, lvl)		(((va) >> (39 - 9 * (lvl))) & 511)	/* lvl 1..3 */

void s1_init(struct s1_ctx *s, uint16_t asid)
{
	memset(s, 0, sizeof(*s));
	s->asid = asid;
	s->ntables = 1; /* tables[0]: level 1 */
	s->cd[0] = CD0_T0SZ(VA_T0SZ) | CD0_TG0_4K | CD0_IRGN0_WBWA | CD0_ORGN0_WBWA | CD0_SH0_IS |
		   CD0_EPD1 | CD0_V | CD0_IPS_40 | CD0_AA64 | CD0_R | CD0_A | CD0_ASET |
		   CD0_ASID(asid);
	s->cd[1] = (uint64_t)(uintptr_t)s->tables[0] & CD1_TTB0_MASK;
	s->cd[3] = CD3_MAIR_WB;
}

static uint64_t *next_level(struct s1_ctx *s, uint64_t *table, unsigned int idx)
{
	if (!(table[idx] & DESC_VALID)) {
		if (s->ntables == S1_MAX_TABLES)
			return 0;
		table[idx] = ((uint64_t)(uintptr_t)s->tables[s->ntables++] & DESC_ADDR_MASK) |
			     DESC_TABLE | DESC_VALID;
	}
	return (uint64_t *)(uintptr_t)(table[idx] & DESC_ADDR_MASK);
}

static uint64_t *leaf_table(struct s1_ctx *s, uint64_t va)
{
	uint64_t *l2 = next_level(s, s->tables[0], IDX(va, 1));

	return l2 ? next_level(s, l2, IDX(va, 2)) : 0;
}

int s1_map(struct s1_ctx *s, uint64_t va, uint64_t pa, int writable)
{
	uint64_t *l3 = leaf_table(s, va);

	if (!l3)
		return -1;
	l3[IDX(va, 3)] = (pa & DESC_ADDR_MASK) | DESC_AF | DESC_SH_IS | DESC_AP_EL0 |
			 (writable ? 0 : DESC_AP_RO) | DESC_TABLE | DESC_VALID;
	__asm__ volatile("dsb ishst" ::: "memory"); /* visible to the SMMU's walk */
	return 0;
}

void s1_unmap(struct s1_ctx *s, uint64_t va)
{
	uint64_t *l3 = leaf_table(s, va);

	if (l3)
		l3[IDX(va, 3)] = 0;
	__asm__ volatile("dsb ishst" ::: "memory");
}

void s1_vste(const struct s1_ctx *s, uint64_t vste[2])
{
	vste[0] = STE0_V | STE0_CFG_S1 | ((uint64_t)(uintptr_t)s->cd & STE0_CTXPTR_MASK);
	vste[1] = 0;
}

void s1_tlbi_va(const struct s1_ctx *s, uint64_t va, uint64_t cmd[2])
{
	cmd[0] = CMD_TLBI_NH_VA | CMD0_ASID(s->asid);
	cmd[1] = (va & CMD1_ADDR_MASK) | CMD1_LEAF;
}
