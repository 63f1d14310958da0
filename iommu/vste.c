/* SPDX-License-Identifier: MIT */
/*
 * The guest's vSTE for a nested HWPT, checked bit-exactly (iommufd's
 * arm_smmu_validate_vste rules):
 *  - V = 0: the whole vSTE counts as zero: an abort STE;
 *  - any bit outside the nesting-allowed masks: -EIO. Word 0 allows V, Config,
 *    S1Fmt, S1ContextPtr, S1CDMax; word 1 S1DSS, S1CIR, S1COR, S1CSH, S1STALLD,
 *    EATS. Stage-2 fields, VMID, STRW, SHCFG, MEV are never the guest's;
 *  - Config: abort, bypass (= the parent's stage 2 only) or S1; else -EIO;
 *  - EATS: abort or translate; else -EIO.
 * S1ContextPtr is an IPA: the SMMU reads the CD through the parent's stage
 * 2, so a pointer outside the guest's mapped memory faults there (as Linux).
 */
#include <aerie/bits.h>
#include <aerie/errno.h>
#include "iommu_internal.h"

#define VSTE0_V			BIT(0)
#define VSTE0_CFG		GENMASK(3, 1)
#define VSTE0_S1FMT		GENMASK(5, 4)
#define VSTE0_S1CTXPTR		GENMASK(51, 6)
#define VSTE0_S1CDMAX		GENMASK(63, 59)
#define VSTE1_S1DSS		GENMASK(1, 0)
#define VSTE1_S1CIR		GENMASK(3, 2)
#define VSTE1_S1COR		GENMASK(5, 4)
#define VSTE1_S1CSH		GENMASK(7, 6)
#define VSTE1_S1STALLD		BIT(27)
#define VSTE1_EATS		GENMASK(29, 28)
#define VSTE0_ALLOWED		(VSTE0_V | VSTE0_CFG | VSTE0_S1FMT | VSTE0_S1CTXPTR | VSTE0_S1CDMAX)
#define VSTE1_ALLOWED		(VSTE1_S1DSS | VSTE1_S1CIR | VSTE1_S1COR | VSTE1_S1CSH | \
				 VSTE1_S1STALLD | VSTE1_EATS)
#define VSTE_CFG_ABORT		0
#define VSTE_CFG_BYPASS		4
#define VSTE_CFG_S1		5
#define VSTE_EATS_ABT		0
#define VSTE_EATS_TRANS		1

void iommu_vste_mask(u64 ste[2])
{
	ste[0] &= VSTE0_ALLOWED;
	ste[1] &= VSTE1_ALLOWED;
}

int vste_validate(const u64 vste[2], struct smmu_ste_cfg *cfg)
{
	u32 config, eats;

	*cfg = (struct smmu_ste_cfg){ .kind = SMMU_STE_ABORT };
	if (!(vste[0] & VSTE0_V))
		return 0;
	if ((vste[0] & ~VSTE0_ALLOWED) || (vste[1] & ~VSTE1_ALLOWED))
		return -EIO;
	config = (u32)FIELD_GET(VSTE0_CFG, vste[0]);
	eats = (u32)FIELD_GET(VSTE1_EATS, vste[1]);
	if (config != VSTE_CFG_ABORT && config != VSTE_CFG_BYPASS && config != VSTE_CFG_S1)
		return -EIO;
	if (eats != VSTE_EATS_ABT && eats != VSTE_EATS_TRANS)
		return -EIO;
	if (config == VSTE_CFG_ABORT)
		return 0;
	if (config == VSTE_CFG_BYPASS) {
		cfg->kind = SMMU_STE_S2;
		return 0;
	}
	cfg->kind = SMMU_STE_NESTED;
	cfg->s1_ctx_ptr = vste[0] & VSTE0_S1CTXPTR;
	cfg->s1_fmt = (u8)FIELD_GET(VSTE0_S1FMT, vste[0]);
	cfg->s1_cdmax = (u8)FIELD_GET(VSTE0_S1CDMAX, vste[0]);
	cfg->s1dss = (u8)FIELD_GET(VSTE1_S1DSS, vste[1]);
	cfg->s1cir = (u8)FIELD_GET(VSTE1_S1CIR, vste[1]);
	cfg->s1cor = (u8)FIELD_GET(VSTE1_S1COR, vste[1]);
	cfg->s1csh = (u8)FIELD_GET(VSTE1_S1CSH, vste[1]);
	cfg->s1stalld = vste[1] & VSTE1_S1STALLD;
	cfg->ats = eats == VSTE_EATS_TRANS;
	return 0;
}
