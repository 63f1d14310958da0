/* SPDX-License-Identifier: MIT */
/*
 * A guest's own SMMUv3 stage 1 (guest/lib/smmu_s1.c): one context
 * descriptor and 4K-granule translation tables in the guest's RAM, the vSTE
 * that points at them, and the invalidation commands for changes. All
 * addresses are the guest's (IPA = its physical addresses: Aerie's parent
 * stage 2 translates them, including the SMMU's table walks).
 *
 * Layout: 39-bit input (T0SZ = 25, walks start at level 1), 40-bit output,
 * write-back cacheable inner-shareable walks, MAIR attribute 0 = normal
 * write-back memory; faults are recorded (CD.R) and abort the transaction.
 */
#ifndef AERIE_GUEST_SMMU_S1_H
#define AERIE_GUEST_SMMU_S1_H

#include <stdint.h>

#define S1_PAGE		4096u
#define S1_MAX_TABLES	16

struct s1_ctx {
	uint64_t cd[8] __attribute__((aligned(64)));
	uint16_t asid;
	unsigned int ntables;
	uint64_t tables[S1_MAX_TABLES][512] __attribute__((aligned(4096)));
};

void s1_init(struct s1_ctx *s, uint16_t asid);
/* map one 4K page va -> pa (read-only unless writable); 0 or -1 (no table) */
int s1_map(struct s1_ctx *s, uint64_t va, uint64_t pa, int writable);
/* remove the page at va (the tables stay) */
void s1_unmap(struct s1_ctx *s, uint64_t va);
/* the vSTE for IOMMU_HWPT_DATA_ARM_SMMUV3: stage 1 through this CD */
void s1_vste(const struct s1_ctx *s, uint64_t vste[2]);
/* the guest's invalidation command for one page of this context */
void s1_tlbi_va(const struct s1_ctx *s, uint64_t va, uint64_t cmd[2]);

/* SMMUv3 event record fields the guest reads from its vEVENTQ */
#define SMMU_EVT_ID(e0)		((unsigned int)((e0) & 0xff))
#define SMMU_EVT_SID(e0)	((uint32_t)((e0) >> 32))
#define SMMU_EVT_F_TRANSLATION	0x10
#define SMMU_EVT_F_PERMISSION	0x13

#endif
